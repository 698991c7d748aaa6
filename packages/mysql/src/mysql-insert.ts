import {
  allOrNothing,
  runInsertValues,
  type RunInsertRow,
  type SqlContext,
  type SqlExecutor,
} from '@durably/sql';
import { sql } from 'kysely';

/**
 * Upper bound of one multi-row `INSERT`'s payload and metadata text, in characters. mysql2 sends a
 * statement as one packet, and servers refuse packets over `max_allowed_packet` (16 MiB by default
 * on MariaDB, 64 MiB on MySQL 8); 4 M characters of JSON stays under 16 MiB even as 4-byte UTF-8.
 */
const maxTextPerStatement = 4_000_000;

/**
 * Inserts runs in multi-row statements (chunked by row count and by text size); returns the ids
 * inserted. MySQL has neither `ON CONFLICT DO NOTHING` nor `RETURNING`, so:
 * - a chunk in which no row has a key or a cron slot cannot conflict (ids are fresh UUIDs): a plain
 *   `INSERT`, every row inserted;
 * - otherwise `INSERT … ON DUPLICATE KEY UPDATE id = id` (a duplicate on the active-key or slot
 *   index leaves the existing row unchanged; any other error still fails the statement, unlike
 *   `INSERT IGNORE`), then the chunk's ids that exist are the ones inserted.
 */
export function insertMySqlRuns(
  ctx: SqlContext,
  executor: SqlExecutor,
  rows: readonly RunInsertRow[],
): Promise<Set<string>> {
  const chunks = [...chunkRows(rows, ctx.adapter.maxRowsPerStatement)];
  return allOrNothing(ctx, executor, chunks.length, (all) => insertChunks(ctx, all, chunks));
}

async function insertChunks(
  ctx: SqlContext,
  executor: SqlExecutor,
  chunks: readonly RunInsertRow[][],
): Promise<Set<string>> {
  const inserted = new Set<string>();
  for (const chunk of chunks) {
    const values = chunk.map((row) => runInsertValues(ctx, row));
    const mayConflict = chunk.some((row) => row.key !== null || row.slotAt !== null);
    if (!mayConflict) {
      await executor.insertInto(ctx.tables.runs).values(values).execute();
      for (const row of chunk) inserted.add(row.id);
      continue;
    }
    await executor
      .insertInto(ctx.tables.runs)
      .values(values)
      .onDuplicateKeyUpdate({ id: sql.ref('id') })
      .execute();
    const found = await executor
      .selectFrom(ctx.tables.runs)
      .select('id')
      .where(
        'id',
        'in',
        chunk.map((row) => row.id),
      )
      .execute();
    for (const row of found) inserted.add(String(row.id));
  }
  return inserted;
}

/** Splits rows into chunks of at most `maxRows` rows and about {@link maxTextPerStatement} characters. */
function* chunkRows(rows: readonly RunInsertRow[], maxRows: number): Generator<RunInsertRow[]> {
  let chunk: RunInsertRow[] = [];
  let size = 0;
  for (const row of rows) {
    const rowSize = row.payloadJson.length + row.metadataJson.length;
    if (chunk.length > 0 && (chunk.length >= maxRows || size + rowSize > maxTextPerStatement)) {
      yield chunk;
      chunk = [];
      size = 0;
    }
    chunk.push(row);
    size += rowSize;
  }
  if (chunk.length > 0) yield chunk;
}
