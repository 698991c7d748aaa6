import { SchemaVersionError } from '@durably/core';
import { Migrator, sql } from 'kysely';
import type { SqlContext } from './sql-context.js';
import { withScopedIntrospection } from './scoped-introspection.js';
import { createSqlMigrations, migrationIds } from './sql-migrations.js';

/**
 * Creates or upgrades the schema to the newest migration this version knows. Idempotent on a clean
 * and on an existing schema; safe to run from several processes at once (Kysely's migrator takes a
 * lock: an advisory lock on PostgreSQL, the `IMMEDIATE` write lock on SQLite). Refuses, with
 * `SchemaVersionError`, a schema that a newer version of Durably has migrated further.
 */
export async function migrateSchema(ctx: SqlContext): Promise<void> {
  const { db, adapter, tables } = ctx;
  await adapter.beforeMigrate(db, ctx);
  await refuseNewerSchema(ctx);
  const migrator = new Migrator({
    db: withScopedIntrospection(db, tables),
    provider: { getMigrations: async () => createSqlMigrations(ctx) },
    migrationTableName: tables.migrations,
    migrationLockTableName: tables.migrationLock,
    ...(tables.schema ? { migrationTableSchema: tables.schema } : {}),
  });
  const { error } = await migrator.migrateToLatest();
  if (error) throw error;
}

async function refuseNewerSchema(ctx: SqlContext): Promise<void> {
  const { db, adapter, tables } = ctx;
  const table = tables.schema ? `${tables.schema}.${tables.migrations}` : tables.migrations;
  let applied: string[];
  try {
    const result = await sql<{ name: string }>`select name from ${sql.table(table)}`.execute(db);
    applied = result.rows.map((row) => row.name);
  } catch (error) {
    // A missing migration table means a clean database; anything transient is a real failure.
    if (adapter.isTransientError(error)) throw error;
    return;
  }
  const known = new Set<string>(migrationIds);
  const unknown = applied.filter((name) => !known.has(name)).sort();
  if (unknown.length > 0) {
    throw new SchemaVersionError(
      `The Durably schema (table ${table}) has migration ${unknown.at(-1)}, newer than this version ` +
        `knows (latest ${migrationIds.at(-1)}). Upgrade the Durably packages of this process, or point ` +
        'it at another database or tablePrefix.',
    );
  }
}
