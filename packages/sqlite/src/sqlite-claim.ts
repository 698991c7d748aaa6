import { claimableStatuses, type ClaimParams, type ClaimedRunRow, type SqlContext } from '@durably/sql';
import { sql } from 'kysely';

/**
 * The SQLite claim: one `UPDATE … WHERE id IN (SELECT … ORDER BY … LIMIT n) RETURNING *` inside a
 * `BEGIN IMMEDIATE` transaction. The transaction holds the database's single write lock from its
 * first statement, so two processes can never claim the same run; the subquery walks the partial
 * claim index in order and stops after `limit` rows.
 */
export async function claimSqliteRuns(ctx: SqlContext, params: ClaimParams): Promise<ClaimedRunRow[]> {
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
    return trx
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
      .where('id', 'in', due)
      .returningAll()
      .execute();
  });
}
