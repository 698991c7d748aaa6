import {
  InvalidArgumentError,
  runStatuses,
  storeArguments,
  type Attempt,
  type RunListParams,
  type RunLogLine,
  type RunPage,
  type RunStatus,
} from '@durably/core';
import { sql } from 'kysely';
import type { SqlContext } from './sql-context.js';
import { isRunId } from './run-id.js';

interface Cursor {
  /** The sort time of the last row, in ms. */
  t: number;
  id: string;
}

/**
 * `runList`: keyset pagination over (`created_at` desc, `id` desc), or (`run_at`, `id`) ascending
 * for `order: 'due'`. The cursor is the last row's sort key, so pages stay stable while runs are
 * inserted. `payloadMatch` is the dialect's predicate (`SqlDialectAdapter.payloadMatchPredicate`).
 */
export async function listRuns(ctx: SqlContext, params: RunListParams): Promise<RunPage> {
  const { adapter, tables } = ctx;
  const due = params.order === 'due';
  const column = due ? 'run_at' : 'created_at';
  if (params.payloadMatch !== undefined) storeArguments.payloadMatch(params.payloadMatch, 'payloadMatch');
  const cursor = params.cursor ? decodeCursor(params.cursor) : undefined;
  let query = ctx.db.selectFrom(tables.runs).selectAll();
  if (params.payloadMatch !== undefined) {
    query = query.where(adapter.payloadMatchPredicate(sql.ref('payload'), params.payloadMatch));
  }
  if (params.statuses) {
    if (params.statuses.length === 0) return { runs: [], nextCursor: null };
    query = query.where('status', 'in', params.statuses);
  }
  if (params.jobName !== undefined) query = query.where('job_name', '=', params.jobName);
  if (params.queue !== undefined) query = query.where('queue', '=', params.queue);
  if (params.createdAfter) query = query.where('created_at', '>=', adapter.timeValue(params.createdAfter));
  if (params.createdBefore) query = query.where('created_at', '<', adapter.timeValue(params.createdBefore));
  if (cursor) {
    const at = adapter.timeValue(new Date(cursor.t));
    const op = due ? '>' : '<';
    query = query.where((eb) =>
      eb.or([eb(column, op, at), eb.and([eb(column, '=', at), eb('id', op, cursor.id)])]),
    );
  }
  const direction = due ? 'asc' : 'desc';
  const limit = Math.max(1, Math.floor(params.limit));
  const rows = await query
    .orderBy(column, direction)
    .orderBy('id', direction)
    .limit(limit + 1)
    .execute();
  const runs = rows.slice(0, limit).map((row) => ctx.map.run(row));
  const last = runs.at(-1);
  const nextCursor =
    rows.length > limit && last
      ? encodeCursor({ t: (due ? last.runAt : last.createdAt).getTime(), id: last.runId })
      : null;
  return { runs, nextCursor };
}

function encodeCursor(cursor: Cursor): string {
  return Buffer.from(JSON.stringify([cursor.t, cursor.id])).toString('base64url');
}

function decodeCursor(text: string): Cursor {
  try {
    const [t, id] = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as [unknown, unknown];
    if (typeof t === 'number' && typeof id === 'string' && isRunId(id)) return { t, id };
  } catch {
    // falls through to the error below
  }
  throw new InvalidArgumentError(
    'cursor',
    'is not a cursor returned by runList; pass `nextCursor` unchanged.',
  );
}

/** `runCountByStatus`: every status present in the result, zero when absent. */
export async function countRunsByStatus(
  ctx: SqlContext,
  params: { jobName?: string; queue?: string },
): Promise<Record<RunStatus, number>> {
  let query = ctx.db
    .selectFrom(ctx.tables.runs)
    .select((eb) => ['status', eb.fn.countAll().as('count')])
    .groupBy('status');
  if (params.jobName !== undefined) query = query.where('job_name', '=', params.jobName);
  if (params.queue !== undefined) query = query.where('queue', '=', params.queue);
  const counts = Object.fromEntries(runStatuses.map((status) => [status, 0])) as Record<RunStatus, number>;
  for (const row of await query.execute()) {
    counts[row.status as RunStatus] = ctx.adapter.readInteger(row.count);
  }
  return counts;
}

/** `attemptList`: a run's ended attempts, oldest first. */
export async function listAttempts(ctx: SqlContext, runId: string): Promise<Attempt[]> {
  if (!isRunId(runId)) return [];
  const rows = await ctx.db
    .selectFrom(ctx.tables.attempts)
    .selectAll()
    .where('run_id', '=', runId)
    .orderBy('attempt')
    .execute();
  return rows.map((row) => ctx.map.attempt(row));
}

/** `runLogList`: a run's log lines in the order written; with `limit`, the newest `limit` of them. */
export async function listRunLogs(ctx: SqlContext, runId: string, limit?: number): Promise<RunLogLine[]> {
  if (!isRunId(runId)) return [];
  let query = ctx.db
    .selectFrom(ctx.tables.logs)
    .selectAll()
    .where('run_id', '=', runId)
    .orderBy('id', 'desc');
  if (limit !== undefined) query = query.limit(Math.max(0, Math.floor(limit)));
  const rows = await query.execute();
  return rows.reverse().map((row) => ctx.map.logLine(row));
}
