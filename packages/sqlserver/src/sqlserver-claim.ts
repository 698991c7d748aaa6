import type { ClaimParams, ClaimedRunRow, SqlContext } from '@durably/sql';
import { sql } from 'kysely';

/**
 * The SQL Server claim, in one statement: a CTE selects `TOP (@limit)` due runs in claim order with
 * `UPDLOCK, READPAST, ROWLOCK` (update locks on exactly those rows; rows other claimers hold are
 * skipped, not waited for), and the `UPDATE` through the CTE leases them, returning the leased rows
 * with `OUTPUT inserted.*`. The filtered claim index (`priority desc, run_at, id` where claimable)
 * serves the `ORDER BY`, so the scan stops after `limit` rows. A deadlock victim is run again.
 */
export function claimSqlServerRuns(ctx: SqlContext, params: ClaimParams): Promise<ClaimedRunRow[]> {
  const { adapter, tables } = ctx;
  const now = ctx.now();
  const queueFilter = params.queues ? sql`and queue in (${sql.join([...params.queues])})` : sql``;
  const statement = sql<ClaimedRunRow>`
    with due as (
      select top (${params.limit}) * from ${sql.table(tables.runs)} with (updlock, readpast, rowlock)
      where status in ('pending', 'waiting_retry')
        and run_at <= ${now}
        and job_name in (${sql.join([...params.jobNames])})
        ${queueFilter}
      order by priority desc, run_at, id
    )
    update due set
      status = 'leased',
      lease_owner = ${params.workerName},
      lease_expires_at = ${adapter.addMilliseconds(now, params.leaseDurationMs)},
      started_at = ${now},
      attempt = attempt + 1,
      cancel_requested_at = null,
      progress_percent = null,
      progress_message = null
    output inserted.*`;
  return adapter.runStoreTransaction(async () => (await statement.execute(ctx.db)).rows);
}
