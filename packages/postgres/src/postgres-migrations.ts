import type { ColumnKind, SqlContext, SqlExecutor } from '@durably/sql';
import { sql } from 'kysely';

/**
 * PostgreSQL DDL types of the shared schema. Times are `timestamptz(3)`: milliseconds, like a JS
 * `Date`, so a value read back compares equal to the one written (keyset cursors, compare-and-set
 * of `next_run_at`). JSON is `jsonb`; ids are `uuid` (16 bytes, compact indexes).
 */
export const postgresColumnTypes: Record<ColumnKind, string> = {
  id: 'uuid',
  name: 'text',
  text: 'text',
  json: 'jsonb',
  time: 'timestamptz(3)',
  bool: 'boolean',
  int: 'integer',
  double: 'double precision',
};

/** The log table's key. */
export const postgresSerialPrimaryKey = (name: string): string =>
  `${name} bigint generated always as identity primary key`;

/**
 * Creates the store's schema (when one is configured) before the migrator looks for its tables.
 * `IF NOT EXISTS` does not make concurrent creation safe in PostgreSQL (two sessions can both pass
 * the check and one then violates the catalog's unique index), so a failure is ignored when the
 * schema exists afterwards: processes migrating at the same startup all succeed.
 */
export async function createPostgresSchema(db: SqlExecutor, ctx: SqlContext): Promise<void> {
  const schema = ctx.tables.schema;
  if (!schema) return;
  try {
    await sql`create schema if not exists ${sql.id(schema)}`.execute(db);
  } catch (error) {
    const found = await sql`select 1 from pg_namespace where nspname = ${schema}`.execute(db);
    if (found.rows.length === 0) throw error;
  }
}

/**
 * PostgreSQL additions to the shared migrations, by migration id (the numbers stay shared).
 *
 * 0001: every run is updated 2–3 times in its life (claim, finish), and every update writes a new
 * row version (no HOT update is possible: `status` is in the claim index's predicate). Vacuum the
 * runs table after 1 % of it changed instead of the default 20 %, so dead versions do not pile up in
 * the claim index between vacuums under a steady job stream.
 */
export async function postgresAfterMigration(
  db: SqlExecutor,
  ctx: SqlContext,
  migrationId: string,
): Promise<void> {
  if (migrationId !== '0001_initial') return;
  await sql`alter table ${sql.table(ctx.tables.runs)} set (
    autovacuum_vacuum_scale_factor = 0.01,
    autovacuum_analyze_scale_factor = 0.02
  )`.execute(db);
}
