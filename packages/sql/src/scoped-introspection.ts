import { sql, type DatabaseIntrospector, type SchemaMetadata, type TableMetadata } from 'kysely';
import type { SqlExecutor } from './sql-dialect-adapter.js';
import type { TableNames } from './table-names.js';

/**
 * The Kysely instance the migrator gets: the store's own, except that its introspection knows only
 * the migrator's two bookkeeping tables. Kysely's migrator asks "does the migration table exist?" by
 * introspecting every table of the database; on PostgreSQL that query fails ("schema … does not
 * exist") when another session drops a schema at the same moment (measured: tests that drop their
 * schemas made concurrent `migrate()` calls fail), and on a large database it is slow. Probing our
 * two tables directly answers the same question without looking at anyone else's.
 */
export function withScopedIntrospection(db: SqlExecutor, tables: TableNames): SqlExecutor {
  const introspection = createScopedIntrospector(db, tables);
  return new Proxy(db, {
    get(target, property) {
      if (property === 'introspection') return introspection;
      const value: unknown = Reflect.get(target, property, target);
      // Kysely keeps its state in private fields: methods must run on the real instance.
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

function createScopedIntrospector(db: SqlExecutor, tables: TableNames): DatabaseIntrospector {
  const qualified = (name: string) => (tables.schema ? `${tables.schema}.${name}` : name);
  const exists = async (name: string): Promise<boolean> => {
    try {
      await sql`select 1 from ${sql.table(qualified(name))} where 1 = 0`.execute(db);
      return true;
    } catch {
      return false;
    }
  };
  const getTables = async (): Promise<TableMetadata[]> => {
    const found: TableMetadata[] = [];
    for (const name of [tables.migrations, tables.migrationLock]) {
      if (await exists(name)) found.push({ name, schema: tables.schema, isView: false, columns: [] });
    }
    return found;
  };
  return {
    // The provider's `beforeMigrate` has created the schema (when one is configured).
    getSchemas: async (): Promise<SchemaMetadata[]> => (tables.schema ? [{ name: tables.schema }] : []),
    getTables,
    getMetadata: async () => ({ tables: await getTables() }),
  };
}
