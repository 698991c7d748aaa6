import {
  allOrNothing,
  runInsertValues,
  type RunInsertRow,
  type SqlContext,
  type SqlExecutor,
} from '@durably/sql';
import { sql, type RawBuilder } from 'kysely';

/**
 * Inserts runs; returns the ids inserted. T-SQL has no `ON CONFLICT`, and a unique violation would
 * end the statement for the whole batch, so:
 * - rows without a key or cron slot cannot conflict (ids are fresh UUIDs): multi-row `INSERT`s of
 *   `maxRowsPerStatement` rows (SQL Server binds at most 2 100 parameters; a run takes 13);
 * - a row with a key or slot is inserted alone, `INSERT … SELECT … WHERE NOT EXISTS (…)` with
 *   `UPDLOCK, HOLDLOCK` on the probe: the key-range lock makes a concurrent insert of the same key
 *   wait and then see this row, so the check and the insert are one atomic step.
 */
export function insertSqlServerRuns(
  ctx: SqlContext,
  executor: SqlExecutor,
  rows: readonly RunInsertRow[],
): Promise<Set<string>> {
  const plainRows = rows.filter((row) => row.key === null && row.slotAt === null).length;
  const statements = Math.ceil(plainRows / ctx.adapter.maxRowsPerStatement) + (rows.length - plainRows);
  return allOrNothing(ctx, executor, statements, (all) => insertInOrder(ctx, all, rows));
}

async function insertInOrder(
  ctx: SqlContext,
  executor: SqlExecutor,
  rows: readonly RunInsertRow[],
): Promise<Set<string>> {
  const inserted = new Set<string>();
  const plain = rows.filter((row) => row.key === null && row.slotAt === null);
  const chunk = ctx.adapter.maxRowsPerStatement;
  for (let start = 0; start < plain.length; start += chunk) {
    const part = plain.slice(start, start + chunk);
    await executor
      .insertInto(ctx.tables.runs)
      .values(part.map((row) => runInsertValues(ctx, row)))
      .execute();
    for (const row of part) inserted.add(row.id);
  }
  for (const row of rows) {
    if (row.key === null && row.slotAt === null) continue;
    const result = await insertUnlessTaken(ctx, row).execute(executor);
    if (Number(result.numAffectedRows ?? 0) > 0) inserted.add(row.id);
  }
  return inserted;
}

function insertUnlessTaken(ctx: SqlContext, row: RunInsertRow): RawBuilder<unknown> {
  const { adapter, tables } = ctx;
  const values = runInsertValues(ctx, row);
  const columns = Object.keys(values);
  const taken =
    row.key !== null
      ? sql`job_name = ${row.jobName} and run_key = ${row.key} and status in ('pending', 'leased', 'waiting_retry')`
      : sql`job_name = ${row.jobName} and slot_at = ${adapter.timeValue(row.slotAt!)}`;
  return sql`
    insert into ${sql.table(tables.runs)} (${sql.join(columns.map((column) => sql.id(column)))})
    select ${sql.join(columns.map((column) => values[column]))}
    where not exists (select 1 from ${sql.table(tables.runs)} with (updlock, holdlock) where ${taken})`;
}
