import { leaseAssignments, type ClaimParams, type ClaimedRunRow, type SqlContext } from '@durably/sql';
import { sql, type RawBuilder } from 'kysely';

/**
 * The MySQL / MariaDB claim, in one short `READ COMMITTED` transaction of three statements (MariaDB
 * has no `UPDATE … RETURNING`):
 * 1. `SELECT id … WHERE claimable = 1 … ORDER BY priority DESC, run_at, id LIMIT n FOR UPDATE SKIP
 *    LOCKED` reads the claim index in order, locks up to `limit` due runs and skips rows another
 *    claimer holds instead of waiting for them (so claimers never queue behind each other);
 * 2. the lease `UPDATE` of exactly those rows, with times from the store's clock;
 * 3. a re-select of the leased rows.
 * The locks are held until commit, so no other claimer can lease the same run in between. Under
 * READ COMMITTED, rows the scan reads and rejects (another job, not yet due) are unlocked at once.
 * A deadlock or lock wait timeout rolls the whole claim back; it is then run again.
 */
export function claimMySqlRuns(ctx: SqlContext, params: ClaimParams): Promise<ClaimedRunRow[]> {
  return ctx.adapter.runStoreTransaction(() =>
    ctx.db
      .transaction()
      .setIsolationLevel('read committed')
      .execute(async (trx) => {
        const { tables } = ctx;
        const now = ctx.now();
        const due = await dueRunsQuery(ctx, params, now).execute(trx);
        const ids = due.rows.map((row) => String(row.id));
        if (ids.length === 0) return [];
        await trx
          .updateTable(tables.runs)
          .set(leaseAssignments(ctx, params, now))
          .where('id', 'in', ids)
          .execute();
        return trx.selectFrom(tables.runs).selectAll().where('id', 'in', ids).execute();
      }),
  );
}

/**
 * Step 1 of the claim: the due ids in claim order, locked. `FORCE INDEX` keeps the plan on the claim
 * index even when `job_name` looks selective (a worker for one rare job): a plan through a
 * `job_name` index would read every due run of those jobs and sort them, and `FOR UPDATE` would then
 * lock them all for this one claimer, leaving nothing for the others.
 */
export function dueRunsQuery(
  ctx: SqlContext,
  params: ClaimParams,
  now: RawBuilder<unknown>,
): RawBuilder<{ id: unknown }> {
  const { tables } = ctx;
  const queueFilter = params.queues ? sql`and queue in (${sql.join([...params.queues])})` : sql``;
  return sql<{ id: unknown }>`
    select id from ${sql.table(tables.runs)} force index (${sql.id(tables.objectName('runs_claim_idx'))})
    where claimable = 1
      and run_at <= ${now}
      and job_name in (${sql.join([...params.jobNames])})
      ${queueFilter}
    order by priority desc, run_at, id
    limit ${params.limit}
    for update skip locked`;
}
