import type { RunInsertRow, SqlContext, SqlExecutor } from '@durably/sql';
import { sql } from 'kysely';
import { plainArray, textArray, timeArray } from './postgres-array-literal.js';

/**
 * Bulk insert in one statement, whatever the batch size: one array parameter per column (an array
 * literal built here, see `postgres-array-literal.ts`), expanded by `unnest` (13 parameters for 1 or 10 000 rows, so no chunking and one parse). The wake-up for
 * idle workers rides in the same statement, one `pg_notify` per distinct queue (not per row): a
 * NOTIFY makes commits serialise on the notification queue, so fewer is faster. Notifications are
 * delivered when the surrounding transaction commits, so a worker never wakes for a run it cannot
 * see yet.
 */
export async function insertPostgresRuns(
  ctx: SqlContext,
  executor: SqlExecutor,
  rows: readonly RunInsertRow[],
  channel: string,
  notifyQueues: readonly string[],
): Promise<Set<string>> {
  const { tables } = ctx;
  const now = ctx.now();
  const column = <T>(pick: (row: RunInsertRow) => T): T[] => rows.map(pick);
  const notify =
    notifyQueues.length > 0
      ? sql`union all select null from (select pg_notify(${channel}, q) from unnest(${[...notifyQueues]}::text[]) as q) as n`
      : sql``;
  const result = await sql<{ id: string | null }>`
    with input as (
      select * from unnest(
        ${textArray(column((r) => r.id))}::uuid[], ${textArray(column((r) => r.jobName))}::text[],
        ${textArray(column((r) => r.queue))}::text[], ${textArray(column((r) => r.status))}::text[],
        ${plainArray(column((r) => r.priority))}::int[], ${plainArray(column((r) => r.maxAttempts))}::int[],
        ${textArray(column((r) => r.payloadJson))}::text[], ${textArray(column((r) => r.metadataJson))}::text[],
        ${timeArray(column((r) => r.runAt))}::timestamptz[], ${timeArray(column((r) => r.scheduledFor))}::timestamptz[],
        ${textArray(column((r) => r.key))}::text[], ${textArray(column((r) => r.origin))}::text[],
        ${timeArray(column((r) => r.slotAt))}::timestamptz[]
      ) as t(id, job_name, queue, status, priority, max_attempts, payload, metadata, run_at, scheduled_for,
             run_key, origin, slot_at)
    ),
    inserted as (
      insert into ${sql.table(tables.runs)} (id, job_name, queue, status, priority, attempt, max_attempts, payload,
        metadata, run_at, scheduled_for, created_at, finished_at, run_key, origin, slot_at)
      select id, job_name, queue, status, priority, 0, max_attempts, payload::jsonb, metadata::jsonb,
        coalesce(run_at, ${now}), coalesce(scheduled_for, run_at, ${now}), ${now},
        case when status = 'skipped' then ${now} end, run_key, origin, slot_at
      from input
      on conflict do nothing
      returning id
    )
    select id::text as id from inserted
    ${notify}`.execute(executor);
  return new Set(result.rows.flatMap((row) => (row.id === null ? [] : [row.id])));
}

/** One wake-up per queue, delivered on commit. */
export async function notifyPostgresWork(
  executor: SqlExecutor,
  channel: string,
  queues: readonly string[],
): Promise<void> {
  if (queues.length === 0) return;
  await sql`select pg_notify(${channel}, q) from unnest(${[...queues]}::text[]) as q`.execute(executor);
}
