import { sql } from 'kysely';
import type { ClaimParams } from './sql-dialect-adapter.js';
import type { ClaimedRunRow, SqlContext } from './sql-context.js';

/** Statuses a claim takes runs from; the claim index is partial on exactly these. */
export const claimableStatuses = ['pending', 'waiting_retry'] as const;

/**
 * The portable claim, in one transaction: select the due ids in claim order (locking them with
 * `FOR UPDATE SKIP LOCKED` where the dialect has it, so concurrent claimers skip each other's rows
 * instead of waiting), then lease them, then (without `RETURNING`) read them back. SQLite runs it
 * under `BEGIN IMMEDIATE`, which serialises claimers across processes. Dialects with a one-statement
 * claim (PostgreSQL, SQL Server) override `claimRuns` instead.
 */
export async function claimRunsPortable(ctx: SqlContext, params: ClaimParams): Promise<ClaimedRunRow[]> {
  const { adapter, tables } = ctx;
  if (params.limit <= 0 || params.jobNames.length === 0 || params.queues?.length === 0) return [];
  return ctx.transaction(async (trx) => {
    const now = ctx.now();
    let due = trx
      .selectFrom(tables.runs)
      .select('id')
      .where('status', 'in', claimableStatuses)
      .where('run_at', '<=', now)
      .where('job_name', 'in', params.jobNames);
    if (params.queues) due = due.where('queue', 'in', params.queues);
    due = due.orderBy('priority', 'desc').orderBy('run_at').orderBy('id').limit(params.limit);
    if (adapter.supportsSkipLocked) due = due.forUpdate().skipLocked();
    const ids = (await due.execute()).map((row) => row.id);
    if (ids.length === 0) return [];
    const update = trx
      .updateTable(tables.runs)
      .set({
        status: 'leased',
        lease_owner: params.workerName,
        lease_expires_at: adapter.addMilliseconds(now, params.leaseDurationMs),
        started_at: now,
        attempt: sql`attempt + 1`,
        cancel_requested_at: null,
        progress_percent: null,
        progress_message: null,
      })
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
