import type { Clock, DurablyStore } from '@durably/core';
import {
  SqlStore,
  createTableNames,
  leasePoolSize,
  resolvePoolSize,
  type AnyDb,
  type SqlExecutor,
} from '@durably/sql';
import { Kysely, MssqlDialect } from 'kysely';
import * as tarn from 'tarn';
import * as tedious from 'tedious';
import { SqlServerAdapter } from './sqlserver-adapter.js';
import { SqlServerCompatPlugin } from './sqlserver-compat-plugin.js';
import { parseSqlServerConnectionString } from './sqlserver-connection.js';

/** Options of `createSqlServerStore`. Give `connectionString` or `config` (the store opens its pools). */
export interface SqlServerStoreOptions {
  /** `mssql://user:password@host:1433/database` or ADO.NET keywords (`Server=…;Database=…;…`). */
  connectionString?: string;
  /** A tedious connection configuration, for what a connection string cannot say (Azure AD auth, …). */
  config?: tedious.ConnectionConfiguration;
  /** Prefix of every table and index; letters, digits, `_`, at most 24 characters. Default `''`. */
  tablePrefix?: string;
  /** Schema of the tables (created if missing); default: the login's default schema (`dbo`). */
  schema?: string;
  /** Connections of the main pool (claims, completions, enqueues, queries). Default 10. */
  maxConnections?: number;
  /** Makes "now" this clock's time instead of the database clock (tests). */
  clock?: Clock;
}

/**
 * Creates the SQL Server store (2016+ / Azure SQL, through tedious): one-statement claims with
 * `UPDLOCK, READPAST` and `OUTPUT`, lease times from `SYSUTCDATETIME()`, transactional enqueue
 * through your Kysely transaction (a Kysely with `MssqlDialect` on the same database). Call
 * `migrate()` before use.
 *
 * @example
 * const store = createSqlServerStore({ connectionString: 'mssql://app:secret@db:1433/app' });
 * await store.migrate();
 */
export function createSqlServerStore(options: SqlServerStoreOptions): DurablyStore {
  // Validate names before opening pools, so a bad prefix or schema leaves nothing open behind it.
  createTableNames({ tablePrefix: options.tablePrefix, schema: options.schema });
  const config = resolveConfig(options);
  const main = openKysely(config, resolvePoolSize(options.maxConnections, 'maxConnections'));
  const lease = openKysely(config, leasePoolSize);
  return createSqlServerStoreOn({
    db: main,
    leaseDb: lease,
    tablePrefix: options.tablePrefix,
    schema: options.schema,
    clock: options.clock,
    onClose: async () => {
      await Promise.all([main.destroy(), lease.destroy()]);
    },
  });
}

/**
 * The store over Kysely instances you built (with `MssqlDialect`, or any driver that speaks T-SQL).
 * The store adds its T-SQL translation plugin itself. For tests and for embedding.
 */
export function createSqlServerStoreOn(input: {
  db: Kysely<AnyDb>;
  leaseDb?: Kysely<AnyDb>;
  tablePrefix?: string;
  schema?: string;
  clock?: Clock;
  onClose?: () => Promise<void>;
}): DurablyStore {
  const plugin = new SqlServerCompatPlugin();
  const db: SqlExecutor = input.db.withPlugin(plugin);
  return new SqlStore({
    db,
    leaseDb: input.leaseDb ? input.leaseDb.withPlugin(plugin) : db,
    adapter: new SqlServerAdapter(),
    tablePrefix: input.tablePrefix,
    schema: input.schema,
    clock: input.clock,
    capabilities: {
      crossProcess: true,
      notifications: false,
      transactionalEnqueue: true,
      defaultRunRetentionSeconds: 86_400,
    },
    onClose: input.onClose,
  });
}

function resolveConfig(options: SqlServerStoreOptions): tedious.ConnectionConfiguration {
  if (options.config) return { ...options.config, options: { ...options.config.options, useUTC: true } };
  if (!options.connectionString) {
    throw new TypeError(
      'createSqlServerStore needs `connectionString` (e.g. "mssql://user:password@host:1433/app") or `config`.',
    );
  }
  return parseSqlServerConnectionString(options.connectionString);
}

/**
 * `propagateCreateError`: a failed connect rejects the waiting call at once (measured: 25 ms for a
 * refused port) instead of tarn retrying until its 30 s acquire timeout.
 */
function openKysely(config: tedious.ConnectionConfiguration, max: number): Kysely<AnyDb> {
  return new Kysely<AnyDb>({
    dialect: new MssqlDialect({
      tarn: { ...tarn, options: { min: 0, max, propagateCreateError: true } },
      tedious: { ...tedious, connectionFactory: () => new tedious.Connection(config) },
    }),
  });
}
