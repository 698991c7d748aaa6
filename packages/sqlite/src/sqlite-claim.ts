import {
  dueRunIdsQuery,
  leaseAssignments,
  type ClaimParams,
  type ClaimedRunRow,
  type SqlContext,
} from '@durably/sql';

/**
 * The SQLite claim: one `UPDATE … WHERE id IN (SELECT … ORDER BY … LIMIT n) RETURNING *` inside a
 * `BEGIN IMMEDIATE` transaction. The transaction holds the database's single write lock from its
 * first statement, so two processes can never claim the same run; the subquery walks the partial
 * claim index in order and stops after `limit` rows.
 */
export async function claimSqliteRuns(ctx: SqlContext, params: ClaimParams): Promise<ClaimedRunRow[]> {
  return ctx.transaction(async (trx) => {
    const now = ctx.now();
    return trx
      .updateTable(ctx.tables.runs)
      .set(leaseAssignments(ctx, params, now))
      .where('id', 'in', dueRunIdsQuery(ctx, trx, params, now))
      .returningAll()
      .execute();
  });
}
