import { createHash } from 'node:crypto';
import type { ClaimParams, ClaimedRunRow, SqlContext } from '@durably/sql';
import { sql, type RawBuilder } from 'kysely';

/** Where claims run: the store's own claim pool (a `pg.Pool`), which takes named statements. */
export interface ClaimPool {
  query<R>(config: { name: string; text: string; values: unknown[] }): Promise<{ rows: R[] }>;
}

/**
 * The PostgreSQL claim, in one statement and so one round trip: a sub-select picks the due ids in
 * claim order from the partial claim index and locks them with `FOR UPDATE SKIP LOCKED` (concurrent
 * claimers skip each other's rows instead of queueing behind them), then the `UPDATE` leases them
 * with times from the database clock and returns the rows. The rows reach the `UPDATE` as an array
 * of their physical addresses (`ctid = any(array(…))`, a TID scan): no index lookup per row. That
 * is safe because this statement holds their row locks, so nobody else can move them; a row that
 * another transaction changed after this statement's snapshot is locked in its new version, which
 * that snapshot cannot see, so the `UPDATE` skips it (it stays claimable) rather than claiming a
 * version it did not check. Joined to a CTE instead, PostgreSQL hashed the whole table to find 500
 * rows (7.8 ms instead of 4.8 ms at 20 000 runs, growing with every finished run kept); looked up by
 * `id`, each row cost a primary key descent (a sixth of the server's time in a drain).
 *
 * The `ORDER BY priority DESC, run_at, id` matches the claim index column for column, so the
 * intended plan is an index scan that stops after `limit` rows, however many runs wait or have
 * finished. That plan is pinned: with stale statistics (a table filled faster than autovacuum
 * analyses it) PostgreSQL picked the job-name index plus a sort of every pending row — 24 ms per
 * claim of 10 over 10 000 pending runs, instead of 0.4 ms. With sorts disabled the ordered index
 * scan is the only cheap plan. The store runs claims on its own small claim pool whose connections
 * start with `enable_sort = off` (`claimPool`), so a claim stays one statement and one round trip
 * and no other query is affected; without that pool, `SET LOCAL` in a transaction does the same at
 * the cost of three more round trips. The claim pool also commits asynchronously unless
 * `synchronousClaims` (a lost claim only makes its run pending again: see the store options).
 *
 * On the claim pool the claim is a named (prepared) statement: each connection parses it once,
 * which took a quarter of an idle worker's claim round trip. It names its columns instead of `r.*`,
 * so a migration that adds a column cannot change the prepared statement's result type.
 */
export async function claimPostgresRuns(
  ctx: SqlContext,
  params: ClaimParams,
  claimPool: ClaimPool | undefined,
): Promise<ClaimedRunRow[]> {
  const claim = claimStatement(ctx, params);
  if (claimPool) {
    const { sql: text, parameters } = claim.compile(ctx.db);
    return (
      await claimPool.query<ClaimedRunRow>({ name: statementName(text), text, values: [...parameters] })
    ).rows;
  }
  return ctx.db.transaction().execute(async (trx) => {
    await sql`set local enable_sort = off`.execute(trx);
    return (await claim.execute(trx)).rows;
  });
}

/** The claim statement (see `claimPostgresRuns`). */
export function claimStatement(ctx: SqlContext, params: ClaimParams): RawBuilder<ClaimedRunRow> {
  const { adapter, tables } = ctx;
  const now = ctx.now();
  const queueFilter = params.queues ? sql`and queue = any(${[...params.queues]}::text[])` : sql``;
  return sql<ClaimedRunRow>`
    update ${sql.table(tables.runs)} as r set
      status = 'leased',
      lease_owner = ${params.workerName},
      lease_expires_at = ${adapter.addMilliseconds(now, params.leaseDurationMs)},
      started_at = ${now},
      attempt = r.attempt + 1,
      cancel_requested_at = null,
      progress_percent = null,
      progress_message = null
    where r.ctid = any(array(
      select ctid from ${sql.table(tables.runs)}
      where status in ('pending', 'waiting_retry')
        and run_at <= ${now}
        and job_name = any(${[...params.jobNames]}::text[])
        ${queueFilter}
      order by priority desc, run_at, id
      limit ${params.limit}
      for update skip locked
    ))
    returning ${returnedColumns}`;
}

/** Every column of the runs table that the row mapper reads. */
const returnedColumns = sql.raw(`r.id, r.job_name, r.queue, r.status, r.priority, r.attempt, r.max_attempts,
  r.payload, r.metadata, r.run_at, r.scheduled_for, r.created_at, r.started_at, r.finished_at, r.lease_owner,
  r.lease_expires_at, r.cancel_requested_at, r.run_key, r.origin, r.slot_at, r.last_error, r.progress_percent,
  r.progress_message`);

const statementNames = new Map<string, string>();

/** A prepared statement's name, the same for the same text (so each connection prepares it once). */
function statementName(text: string): string {
  let name = statementNames.get(text);
  if (name === undefined) {
    name = `durably_claim_${createHash('sha256').update(text).digest('hex').slice(0, 24)}`;
    statementNames.set(text, name);
  }
  return name;
}
