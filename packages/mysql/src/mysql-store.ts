import { ConfigurationError, type Clock, type DurablyStore } from '@durably/core';
import { SqlStore, createTableNames, type AnyDb, type SqlExecutor } from '@durably/sql';
import { Kysely, MysqlDialect } from 'kysely';
import { createPool, type Pool } from 'mysql2';
import type { Pool as PromisePool } from 'mysql2/promise';
import { MySqlAdapter } from './mysql-adapter.js';
import { setUpMySqlSession, wrapMySqlPool } from './mysql-pool.js';

/** Options of `createMySqlStore`. Give `connectionString` (the store opens its pools) or `pool`. */
export interface MySqlStoreOptions {
  /** `mysql://user:password@host:3306/database`; the database must exist. */
  connectionString?: string;
  /**
   * Your own mysql2 pool (`createPool` from `mysql2` or from `mysql2/promise`), to share connections
   * with the application. The store neither changes its sessions' settings nor ends it on `close()`.
   */
  pool?: Pool | PromisePool;
  /** Prefix of every table and index; letters, digits, `_`, at most 24 characters. Default `''`. */
  tablePrefix?: string;
  /** Connections of the main pool (claims, completions, enqueues, queries). Default 10. */
  maxConnections?: number;
  /** Makes "now" this clock's time instead of the database clock (tests). */
  clock?: Clock;
}

function checkMaxConnections(value: number | undefined): number {
  if (value === undefined) return 10;
  if (!Number.isSafeInteger(value) || value < 1) {
    throw new ConfigurationError('maxConnections', `must be an integer >= 1, got ${String(value)}.`);
  }
  return value;
}

/** Connections reserved for lease extension and worker beats, so a busy main pool never starves them. */
const leaseConnections = 2;

/**
 * Creates the MySQL 8 / MariaDB 10.6+ store: `FOR UPDATE SKIP LOCKED` claims, lease times from the
 * database clock (`UTC_TIMESTAMP`), transactional enqueue through your Kysely transaction. Call
 * `migrate()` before use.
 *
 * @example
 * const store = createMySqlStore({ connectionString: 'mysql://app:secret@127.0.0.1:3306/app' });
 * await store.migrate();
 */
export function createMySqlStore(options: MySqlStoreOptions): DurablyStore {
  // Validate names before opening pools, so a bad prefix leaves nothing open behind it.
  createTableNames({ tablePrefix: options.tablePrefix });
  const adapter = new MySqlAdapter();
  let db: SqlExecutor;
  let leaseDb: SqlExecutor;
  let onClose: () => Promise<void>;
  if (options.pool !== undefined) {
    db = new Kysely<AnyDb>({
      dialect: new MysqlDialect({ pool: wrapMySqlPool(callbackPool(options.pool), false) }),
    });
    leaseDb = db;
    onClose = async () => {};
  } else {
    if (!options.connectionString) {
      throw new TypeError(
        'createMySqlStore needs `connectionString` (e.g. "mysql://user:password@127.0.0.1:3306/app") or `pool`.',
      );
    }
    const open = (connectionLimit: number) =>
      new Kysely<AnyDb>({
        dialect: new MysqlDialect({
          pool: wrapMySqlPool(ownPool(options.connectionString!, connectionLimit), true),
          onCreateConnection: setUpMySqlSession,
        }),
      });
    const main = open(checkMaxConnections(options.maxConnections));
    const lease = open(leaseConnections);
    db = main;
    leaseDb = lease;
    onClose = async () => {
      await Promise.all([main.destroy(), lease.destroy()]);
    };
  }
  return new SqlStore({
    db,
    leaseDb,
    adapter,
    tablePrefix: options.tablePrefix,
    clock: options.clock,
    capabilities: {
      crossProcess: true,
      notifications: false,
      transactionalEnqueue: true,
      defaultRunRetentionSeconds: 86_400,
    },
    onClose,
  });
}

/** The callback pool under a `mysql2/promise` pool (Kysely drives the callback API). */
function callbackPool(pool: Pool | PromisePool): Pool {
  return 'pool' in pool && typeof pool.pool?.getConnection === 'function'
    ? (pool.pool as Pool)
    : (pool as Pool);
}

function ownPool(connectionString: string, connectionLimit: number): Pool {
  return createPool({
    uri: connectionString,
    connectionLimit,
    // Values are bound as UTC text by the adapter; this keeps any Date mysql2 formats in UTC too.
    timezone: 'Z',
    enableKeepAlive: true,
    supportBigNumbers: true,
  });
}
