import { createHash } from 'node:crypto';
import type { Clock, DurablyStore } from '@durably/core';
import { SqlStore, createTableNames, leasePoolSize, resolvePoolSize, type AnyDb } from '@durably/sql';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { PostgresAdapter } from './postgres-adapter.js';
import { claimPoolTypes } from './postgres-timestamps.js';
import { PostgresWorkListener } from './postgres-listener.js';

/** Options of `createPostgresStore`. Give `connectionString` or `pool`. */
export interface PostgresStoreOptions {
  /** e.g. `postgres://user:pass@host:5432/db`. The store opens and closes its own pools. */
  connectionString?: string;
  /**
   * Your `pg.Pool`, used for claims, completions, enqueues and queries (the store never ends it).
   * The store still opens its own small lease pool and listener connection with the same settings.
   */
  pool?: pg.Pool;
  /** Prefix of every table, index and channel; letters, digits, `_`, at most 24. Default `''`. */
  tablePrefix?: string;
  /** Schema of the tables, created by `migrate()` if missing. Default: the search path (`public`). */
  schema?: string;
  /** Connections of the main pool when the store opens it (`connectionString`). Default 10. */
  poolSize?: number;
  /**
   * Connections reserved for lease extension and worker beats, so that they never wait behind
   * claims and completions for a connection. Default 2.
   */
  leasePoolSize?: number;
  /** Connections used only by claims (their planner has sorts disabled: see `claimPostgresRuns`). Default 2. */
  claimPoolSize?: number;
  /**
   * Wait for a claim's commit to reach disk. Default false: a claim commits asynchronously (it is
   * visible at once, and flushed within `wal_writer_delay`), which takes one disk flush off the
   * enqueue→start path. A database crash can forget the last claims; their runs are then simply
   * pending again and run again (at least once, as after a worker crash); the claiming worker's
   * finish is fenced out. Enqueues and finishes always wait for the disk.
   */
  synchronousClaims?: boolean;
  /** LISTEN/NOTIFY wake-ups (`subscribeWork`). Default true. */
  notifications?: boolean;
  /**
   * `application_name` of the connections the store opens (visible in `pg_stat_activity`).
   * Default `durably`.
   */
  applicationName?: string;
  /** Makes "now" this clock's time instead of the database clock (tests). */
  clock?: Clock;
}

/**
 * Creates the PostgreSQL store. Call `migrate()` before use.
 *
 * @example
 * const store = createPostgresStore({ connectionString: process.env.DATABASE_URL });
 * await store.migrate();
 */
export function createPostgresStore(options: PostgresStoreOptions): DurablyStore {
  const tables = createTableNames({ tablePrefix: options.tablePrefix, schema: options.schema });
  const config = connectionConfig(options);
  const ownsPool = options.pool === undefined;
  const pool = options.pool ?? new pg.Pool({ ...config, max: resolvePoolSize(options.poolSize, 'poolSize') });
  const leasePool = new pg.Pool({
    ...config,
    max: resolvePoolSize(options.leasePoolSize, 'leasePoolSize', leasePoolSize),
  });
  const claimPool = new pg.Pool({
    ...config,
    max: resolvePoolSize(options.claimPoolSize, 'claimPoolSize', 2),
    types: claimPoolTypes,
    options: [config.options, ...claimSettings(options.synchronousClaims ?? false)].filter(Boolean).join(' '),
  });
  // An idle pooled connection that the server drops emits 'error' on its pool; unhandled, that
  // would crash the process. The next query simply gets a fresh connection.
  for (const owned of ownsPool ? [pool, leasePool, claimPool] : [leasePool, claimPool]) {
    owned.on('error', () => {});
    // A checked-out connection dropped between two statements (inside a transaction, say) emits
    // 'error' on its client, which the pool does not listen to then: without this listener that
    // is an uncaught exception. The statement in flight (or the next one) still fails and is retried.
    owned.on('connect', (client) => client.on('error', () => {}));
  }
  const db = new Kysely<AnyDb>({ dialect: new PostgresDialect({ pool }) });
  const leaseDb = new Kysely<AnyDb>({ dialect: new PostgresDialect({ pool: leasePool }) });
  const adapter = new PostgresAdapter(channelName(tables.schema, tables.prefix));
  adapter.claimPool = claimPool;
  const notifications = options.notifications ?? true;
  const listener = notifications
    ? new PostgresWorkListener({ ...config, connectionTimeoutMillis: 10_000 }, adapter.channel)
    : undefined;
  if (listener) adapter.listenerReady = () => listener.ready;
  return new SqlStore({
    db,
    leaseDb,
    adapter,
    tablePrefix: options.tablePrefix,
    schema: options.schema,
    clock: options.clock,
    capabilities: {
      crossProcess: true,
      notifications,
      transactionalEnqueue: true,
      defaultRunRetentionSeconds: 86_400,
    },
    ...(listener ? { subscribeWork: (callback) => listener.subscribe(callback) } : {}),
    onClose: async () => {
      await listener?.close();
      await leaseDb.destroy();
      await claimPool.end();
      if (ownsPool) await db.destroy();
    },
  });
}

/** Session settings of the claim pool's connections (see `claimPostgresRuns`, `synchronousClaims`). */
function claimSettings(synchronousClaims: boolean): string[] {
  // TimeZone=UTC: times come back in the one form the fast parser reads (`claimPoolTypes`).
  // force_custom_plan: the prepared claim is planned at every execution, as an unprepared one is. A
  // generic plan is chosen once per connection, possibly while the table is empty, and with no
  // ANALYZE since (autovacuum off) it stayed: a sequential scan per claim over a million runs.
  return [
    '-c enable_sort=off',
    '-c TimeZone=UTC',
    '-c plan_cache_mode=force_custom_plan',
    ...(synchronousClaims ? [] : ['-c synchronous_commit=off']),
  ];
}

function connectionConfig(options: PostgresStoreOptions): pg.PoolConfig {
  const application_name = options.applicationName ?? 'durably';
  if (options.pool) return { application_name, ...options.pool.options };
  if (!options.connectionString) {
    throw new TypeError(
      'createPostgresStore needs `connectionString` (e.g. "postgres://user@localhost:5432/app") or `pool`.',
    );
  }
  return { connectionString: options.connectionString, application_name };
}

/**
 * The NOTIFY channel: one per schema and prefix, so stores sharing a database do not wake each
 * other. Channel names are identifiers (at most 63 bytes); a longer one is shortened with a hash.
 */
function channelName(schema: string | undefined, prefix: string): string {
  const name = `${schema ? `${schema}.` : ''}${prefix}durably_work`;
  if (name.length <= 63) return name;
  return `durably_work_${createHash('sha256').update(name).digest('hex').slice(0, 32)}`;
}
