import type { ColumnKind, IndexSpec, SqlContext, SqlExecutor } from '@durably/sql';
import { sql } from 'kysely';

/**
 * Binary collation of short names (job names, queues, keys): case-sensitive comparisons, as on
 * the other providers (the server default is usually case-insensitive). SQL Server still ignores
 * trailing spaces when it compares strings, whatever the collation: keys `k` and `k ` are the same
 * key here (documented in the README).
 */
const nameCollation = 'Latin1_General_100_BIN2';

/**
 * SQL Server DDL types of the shared schema.
 * - Times are `datetime2(6)` holding UTC (never `datetime`, which rounds to 1/300 s). Durably writes
 *   millisecond values, so a value read back compares equal to the one written.
 * - JSON is `nvarchar(max)` (no `ISJSON` check: before SQL Server 2022 it rejects scalar documents
 *   such as `2` or `"text"`, which are valid payloads).
 * - Ids are `char(36)`, not `uniqueidentifier`: tedious returns those upper-case, and a run id must
 *   read back exactly as it was returned by enqueue.
 */
export const sqlServerColumnTypes: Record<ColumnKind, string> = {
  id: 'char(36)',
  name: `nvarchar(255) collate ${nameCollation}`,
  text: 'nvarchar(max)',
  json: 'nvarchar(max)',
  time: 'datetime2(6)',
  bool: 'bit',
  int: 'int',
  double: 'float',
};

/** The log table's key. */
export const sqlServerSerialPrimaryKey = (name: string): string =>
  `${name} bigint identity(1, 1) primary key`;

/**
 * Filtered indexes are native (`CREATE INDEX … WHERE …`), so partial indexes keep their predicate.
 * No `IF NOT EXISTS` (T-SQL has none for indexes): the migrator runs each migration once.
 */
export async function createSqlServerIndex(db: SqlExecutor, spec: IndexSpec): Promise<void> {
  const unique = spec.unique ? sql.raw('unique ') : sql.raw('');
  const where = spec.where ? sql.raw(` where ${spec.where}`) : sql.raw('');
  await sql`create ${unique}index ${sql.id(spec.name)} on ${sql.table(spec.table)} (${sql.raw(spec.columns)})${where}`.execute(
    db,
  );
}

/** Creates the store's schema (when one is configured) before the migrator looks for its tables. */
export async function createSqlServerSchema(db: SqlExecutor, ctx: SqlContext): Promise<void> {
  const schema = ctx.tables.schema;
  if (!schema) return;
  // CREATE SCHEMA must be alone in its batch, hence the dynamic SQL; the name is a validated identifier.
  await sql`if schema_id(${schema}) is null exec(${`create schema [${schema}]`})`.execute(db);
}
