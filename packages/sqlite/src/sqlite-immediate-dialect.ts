import {
  CompiledQuery,
  SqliteAdapter as KyselySqliteAdapter,
  SqliteDialect,
  SqliteDriver,
  type DatabaseConnection,
  type DialectAdapter,
  type Driver,
  type SqliteDialectConfig,
} from 'kysely';

/**
 * Kysely's SQLite dialect, except that transactions begin `IMMEDIATE`: the write lock is taken at
 * `BEGIN` and waited for under `busy_timeout`. A deferred transaction that reads first and writes
 * later fails at once with SQLITE_BUSY when another process wrote in between (WAL mode cannot upgrade
 * a stale read snapshot), which would make claims fail under contention instead of waiting.
 *
 * Build your own Kysely with this dialect when the application shares the store's connection
 * (`createSqliteStore({ kysely })`), so that your transactions take the lock the same way.
 *
 * @example
 * const db = new Kysely<MyDb>({ dialect: new SqliteImmediateDialect({ database: new Database('app.db') }) });
 */
export class SqliteImmediateDialect extends SqliteDialect {
  readonly #config: SqliteDialectConfig;

  constructor(config: SqliteDialectConfig) {
    super(config);
    this.#config = config;
  }

  override createDriver(): Driver {
    return new ImmediateSqliteDriver(this.#config);
  }

  override createAdapter(): DialectAdapter {
    return new TransactionalDdlSqliteAdapter();
  }
}

/**
 * SQLite's DDL is transactional. Saying so makes Kysely's migrator run each migration batch in a
 * transaction, which here begins `IMMEDIATE`: two processes migrating one file at startup then take
 * turns, and the second sees the first's migrations as done (Kysely's own SQLite adapter takes no
 * lock, so they would both create the tables).
 */
class TransactionalDdlSqliteAdapter extends KyselySqliteAdapter {
  override get supportsTransactionalDdl(): boolean {
    return true;
  }
}

class ImmediateSqliteDriver extends SqliteDriver {
  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin immediate'));
  }
}
