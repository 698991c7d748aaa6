import { sql, type RawBuilder } from 'kysely';
import type { ClaimParams, SqlExecutor } from './sql-dialect-adapter.js';
import type { ClaimedRunRow, SqlContext } from './sql-context.js';

/** Statuses a claim takes runs from; the claim index is partial on exactly these. */
export const claimableStatuses = ['pending', 'waiting_retry'] as const;

/**
 * Whether a claim cannot match any run (`limit` 0, no job names, an empty queue list): the store
 * then answers `[]` without asking the dialect, so no dialect's claim has to check it.
 */
export function isEmptyClaim(params: ClaimParams): boolean {
  return params.limit <= 0 || params.jobNames.length === 0 || params.queues?.length === 0;
}

/**
 * The due runs' ids in claim order (`priority desc, run_at, id`), at most `limit`: the first step
 * of a claim, usable as a subquery (`where id in (…)`). Not locked: add `forUpdate()` where needed.
 */
export function dueRunIdsQuery(
  ctx: SqlContext,
  executor: SqlExecutor,
  params: ClaimParams,
  now: RawBuilder<unknown>,
) {
  let due = executor
    .selectFrom(ctx.tables.runs)
    .select('id')
    .where('status', 'in', claimableStatuses)
    .where('run_at', '<=', now)
    .where('job_name', 'in', params.jobNames);
  if (params.queues) due = due.where('queue', 'in', params.queues);
  return due.orderBy('priority', 'desc').orderBy('run_at').orderBy('id').limit(params.limit);
}

/**
 * The column assignments that lease a claimed run to `params.workerName` for
 * `params.leaseDurationMs` from `now`, starting its next attempt (and clearing a cancel request and
 * the previous attempt's progress).
 */
export function leaseAssignments(ctx: SqlContext, params: ClaimParams, now: RawBuilder<unknown>) {
  return {
    status: 'leased',
    lease_owner: params.workerName,
    lease_expires_at: ctx.adapter.addMilliseconds(now, params.leaseDurationMs),
    started_at: now,
    attempt: sql<number>`attempt + 1`,
    cancel_requested_at: null,
    progress_percent: null,
    progress_message: null,
  };
}

/**
 * The portable claim, in one transaction: select the due ids in claim order (locking them with
 * `FOR UPDATE SKIP LOCKED` where the dialect has it, so concurrent claimers skip each other's rows
 * instead of waiting), then lease them, then (without `RETURNING`) read them back. Dialects with a
 * one-statement claim (PostgreSQL, SQLite, SQL Server) or their own locking (MySQL) override
 * `claimRuns` instead.
 */
export async function claimRunsPortable(ctx: SqlContext, params: ClaimParams): Promise<ClaimedRunRow[]> {
  const { adapter, tables } = ctx;
  return ctx.transaction(async (trx) => {
    const now = ctx.now();
    let due = dueRunIdsQuery(ctx, trx, params, now);
    if (adapter.supportsSkipLocked) due = due.forUpdate().skipLocked();
    const ids = (await due.execute()).map((row) => row.id);
    if (ids.length === 0) return [];
    const update = trx
      .updateTable(tables.runs)
      .set(leaseAssignments(ctx, params, now))
      .where('id', 'in', ids)
      .where('status', 'in', claimableStatuses);
    if (adapter.supportsReturning) return update.returningAll().execute();
    await update.execute();
    return trx
      .selectFrom(tables.runs)
      .selectAll()
      .where('id', 'in', ids)
      .where('status', '=', 'leased')
      .where('lease_owner', '=', params.workerName)
      .execute();
  });
}
