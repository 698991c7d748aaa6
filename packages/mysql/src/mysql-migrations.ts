import type { ColumnKind, IndexSpec, SqlContext, SqlExecutor } from '@durably/sql';
import { sql } from 'kysely';

/** Which server the store talks to: the two differ in collation names and inline foreign keys. */
export type MySqlFlavor = 'mariadb' | 'mysql';

/**
 * Binary, NO PAD collation of short names (job names, queues, keys): keys compare byte for byte,
 * so `K` ≠ `k` and `k` ≠ `k ` (the `PAD SPACE` collations, `utf8mb4_bin` included, treat trailing
 * spaces as equal, which would merge two idempotency keys). The name differs per server.
 */
export const nameCollation: Record<MySqlFlavor, string> = {
  mariadb: 'utf8mb4_nopad_bin',
  mysql: 'utf8mb4_0900_bin',
};

/**
 * DDL types of the shared schema on MySQL / MariaDB. Every text column states `utf8mb4` itself, so
 * the database's default character set (latin1 on some servers) never matters.
 * - Times are `datetime(6)`: a plain `datetime` would round to whole seconds. Durably writes
 *   millisecond values (a JS `Date`), so a value read back compares equal to the one written.
 * - JSON is `json`: on MariaDB an alias of `longtext` with an automatic `json_valid` check, on
 *   MySQL 8 the binary JSON type. Values are always read as text (see `mysql-pool.ts`).
 * - Names are `varchar(255)` (an index key of two of them stays under InnoDB's 3 072 bytes).
 */
export function mySqlColumnType(kind: ColumnKind, flavor: MySqlFlavor): string {
  switch (kind) {
    case 'id':
      return 'char(36) character set ascii collate ascii_general_ci';
    case 'name':
      return `varchar(255) character set utf8mb4 collate ${nameCollation[flavor]}`;
    case 'text':
      return 'longtext character set utf8mb4 collate utf8mb4_bin';
    case 'json':
      return 'json';
    case 'time':
      return 'datetime(6)';
    case 'bool':
      return 'boolean';
    case 'int':
      return 'int';
    case 'double':
      return 'double';
  }
}

/** The log table's key. */
export const mySqlSerialPrimaryKey = (name: string): string =>
  `${name} bigint not null auto_increment primary key`;

/**
 * MySQL has no partial indexes, so a migration's partial index becomes:
 * - unique, predicate `<last column> is not null`: a plain unique index (NULLs never collide);
 * - unique, any other predicate: a unique index whose last column is replaced by a stored generated
 *   column `<last column>_uq` = that column where the predicate holds, else NULL. So the active-key
 *   index `(job_name, run_key) where run_key is not null and status in (active)` holds one active
 *   run per key while any number of finished runs keep theirs;
 * - not unique: a full index over the same columns (the claim index is rebuilt after the migration,
 *   see `mySqlAfterMigration`).
 * No `if not exists`: MySQL 8 lacks it for indexes, and the migrator runs each migration once.
 */
export async function createMySqlIndex(db: SqlExecutor, spec: IndexSpec, flavor: MySqlFlavor): Promise<void> {
  const columns = spec.columns.split(',').map((column) => column.trim());
  const last = columns.at(-1)!;
  const lastIsNotNull =
    spec.where !== undefined && new RegExp(`^\\s*${last}\\s+is\\s+not\\s+null\\s*$`, 'i').test(spec.where);
  if (spec.unique && spec.where && !lastIsNotNull) {
    const generated = `${last}_uq`;
    const type = await columnDefinition(db, spec.table, last, flavor);
    await sql`alter table ${sql.table(spec.table)} add column ${sql.id(generated)} ${sql.raw(type)}
      generated always as (case when ${sql.raw(spec.where)} then ${sql.id(last)} end) stored`.execute(db);
    columns[columns.length - 1] = generated;
  }
  const unique = spec.unique ? sql.raw('unique ') : sql.raw('');
  await sql`create ${unique}index ${sql.id(spec.name)} on ${sql.table(spec.table)} (${sql.raw(columns.join(', '))})`.execute(
    db,
  );
}

/** The DDL type of an existing column, with its character set and collation when it has them. */
async function columnDefinition(
  db: SqlExecutor,
  table: string,
  column: string,
  flavor: MySqlFlavor,
): Promise<string> {
  const result = await sql<{ column_type: string; character_set_name: string | null }>`
    select column_type, character_set_name from information_schema.columns
    where table_schema = database() and table_name = ${table} and column_name = ${column}`.execute(db);
  const row = result.rows[0];
  if (!row) throw new Error(`Column ${table}.${column} not found while creating its index.`);
  const charset = row.character_set_name ? ` character set utf8mb4 collate ${nameCollation[flavor]}` : '';
  return `${row.column_type}${charset}`;
}

/**
 * MySQL additions to the shared migrations, by migration id (the numbers stay shared).
 *
 * 0001:
 * - The claim index. Without a partial index, an index on `(priority desc, run_at, id)` would make
 *   the claim walk past every finished run, and one on `(status, …)` cannot return two statuses in
 *   priority order without a sort, which under `FOR UPDATE` locks every due run for one claimer. So
 *   a stored generated column `claimable` (1 for `pending`/`waiting_retry`, else NULL) leads the
 *   index: `claimable = 1` is one range read in claim order that stops after `limit` rows.
 */
export async function mySqlAfterMigration(
  db: SqlExecutor,
  ctx: SqlContext,
  migrationId: string,
): Promise<void> {
  if (migrationId !== '0001_initial') return;
  const { tables } = ctx;
  const claimIndex = tables.objectName('runs_claim_idx');
  await sql`alter table ${sql.table(tables.runs)}
    add column claimable tinyint generated always as
      (case when status in ('pending', 'waiting_retry') then 1 end) stored,
    drop index ${sql.id(claimIndex)},
    add index ${sql.id(claimIndex)} (claimable, priority desc, run_at, id)`.execute(db);
}

/** Reads which server this is (MariaDB reports itself in `version()`). */
export async function detectMySqlFlavor(db: SqlExecutor): Promise<MySqlFlavor> {
  const result = await sql<{ v: string }>`select version() as v`.execute(db);
  return /mariadb/i.test(String(result.rows[0]?.v)) ? 'mariadb' : 'mysql';
}
