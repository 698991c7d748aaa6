import type { Clock, DurablyStore } from '@durably/core';
import {
  SqlStore,
  createTableNames,
  leasePoolSize,
  resolvePoolSize,
  type AnyDb,
  type SqlExecutor,
} from '@durably/sql';
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
  const connections = options.pool !== undefined ? sharedPool(options.pool) : ownPools(options);
  return new SqlStore({
    ...connections,
    adapter: new MySqlAdapter(),
    tablePrefix: options.tablePrefix,
    clock: options.clock,
    capabilities: {
      crossProcess: true,
      notifications: false,
      transactionalEnqueue: true,
      defaultRunRetentionSeconds: 86_400,
    },
  });
}

interface StoreConnections {
  db: SqlExecutor;
  leaseDb: SqlExecutor;
  onClose: () => Promise<void>;
}

/** The application's pool: used as it is, never ended by the store. */
function sharedPool(pool: Pool | PromisePool): StoreConnections {
  const db = new Kysely<AnyDb>({
    dialect: new MysqlDialect({ pool: wrapMySqlPool(callbackPool(pool), false) }),
  });
  return { db, leaseDb: db, onClose: async () => {} };
}

/** The store's own main and lease pools, with UTC / READ COMMITTED / strict sessions. */
function ownPools(options: MySqlStoreOptions): StoreConnections {
  const connectionString = options.connectionString;
  if (!connectionString) {
    throw new TypeError(
      'createMySqlStore needs `connectionString` (e.g. "mysql://user:password@127.0.0.1:3306/app") or `pool`.',
    );
  }
  const open = (connectionLimit: number) =>
    new Kysely<AnyDb>({
      dialect: new MysqlDialect({
        pool: wrapMySqlPool(ownPool(connectionString, connectionLimit), true),
        onCreateConnection: setUpMySqlSession,
      }),
    });
  const db = open(resolvePoolSize(options.maxConnections, 'maxConnections'));
  const leaseDb = open(leasePoolSize);
  return { db, leaseDb, onClose: async () => void (await Promise.all([db.destroy(), leaseDb.destroy()])) };
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
