import type { Clock, DurablyStore } from '@durably/core';
import { SqlStore, createTableNames, type AnyDb, type SqlExecutor } from '@durably/sql';
import Database from 'better-sqlite3';
import { Kysely } from 'kysely';
import { SqliteAdapter } from './sqlite-adapter.js';
import { SqliteImmediateDialect } from './sqlite-immediate-dialect.js';
import { sqlitePragmas } from './sqlite-migrations.js';

/** Options of `createSqliteStore`. Give `filename` (the store opens the file) or `kysely`. */
export interface SqliteStoreOptions {
  /** Path of the database file (created if missing). `:memory:` works but is not cross-process. */
  filename?: string;
  /**
   * Your own Kysely instance over better-sqlite3, built with `SqliteImmediateDialect`, to share one
   * connection with the application (transactional enqueue in the same process). The store then
   * neither sets pragmas nor closes it: enable WAL and `busy_timeout` yourself.
   */
  kysely?: unknown;
  /** Prefix of every table and index; letters, digits, `_`. Default `''`. */
  tablePrefix?: string;
  /** How long a writer waits for another process's lock before failing, in ms. Default 5 000. */
  busyTimeoutMs?: number;
  /**
   * `full` (default) syncs every commit to disk: no committed run is lost on power failure.
   * `normal` is faster in WAL mode and loses at most the last commits on power failure (never on a
   * process crash).
   */
  synchronous?: 'full' | 'normal';
  /** Makes "now" this clock's time instead of the system clock read by SQLite (tests). */
  clock?: Clock;
}

/**
 * Creates the SQLite store: the embedded default, one file shared safely by several worker
 * processes (WAL, `busy_timeout`, `BEGIN IMMEDIATE` writes). Call `migrate()` before use.
 *
 * @example
 * const store = createSqliteStore({ filename: './durably.db' });
 * await store.migrate();
 */
export function createSqliteStore(options: SqliteStoreOptions): DurablyStore {
  const adapter = new SqliteAdapter();
  // Validate names before opening the file, so a bad prefix leaves nothing open behind it.
  createTableNames({ tablePrefix: options.tablePrefix });
  let db: SqlExecutor;
  let onClose: (() => Promise<void>) | undefined;
  if (options.kysely !== undefined) {
    db = options.kysely as SqlExecutor;
  } else {
    if (!options.filename) {
      throw new TypeError('createSqliteStore needs `filename` (a path, e.g. "./durably.db") or `kysely`.');
    }
    const database = new Database(options.filename);
    const pragmas = sqlitePragmas({
      busyTimeoutMs: options.busyTimeoutMs ?? 5_000,
      synchronous: options.synchronous ?? 'full',
    });
    for (const pragma of pragmas) database.pragma(pragma);
    const kysely = new Kysely<AnyDb>({ dialect: new SqliteImmediateDialect({ database }) });
    db = kysely;
    onClose = () => kysely.destroy();
  }
  return new SqlStore({
    db,
    adapter,
    tablePrefix: options.tablePrefix,
    clock: options.clock,
    capabilities: {
      crossProcess: options.filename !== ':memory:',
      notifications: false,
      transactionalEnqueue: true,
      defaultRunRetentionSeconds: 86_400,
    },
    onClose,
  });
}
