import type { AnyDb, SqlExecutor } from '@durably/sql';
import { Kysely, MysqlDialect, MysqlDriver, type DatabaseConnection, type Driver } from 'kysely';
import type { Connection } from 'mysql2';
import { wrapMySqlConnection } from './mysql-pool.js';

/** A mysql2 connection of either API: callback (`Connection`, `PoolConnection`) or promise. */
type AnyMySqlConnection = Pick<Connection, 'query'> | { connection: Pick<Connection, 'query'> };

/**
 * Whether `value` is a mysql2 connection (callback or promise API), not a Kysely instance or a pool:
 * the caller's own connection, inside a transaction the caller began.
 */
export function isMySqlConnection(value: unknown): value is AnyMySqlConnection {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as Record<string, unknown>;
  return (
    typeof candidate.query === 'function' &&
    typeof candidate.beginTransaction === 'function' &&
    candidate.getConnection === undefined &&
    candidate.selectFrom === undefined
  );
}

/**
 * Runs `work` with a Kysely `Transaction` over the caller's own mysql2 connection, inside the
 * transaction the caller began on it: this issues no `BEGIN`, `COMMIT` or `ROLLBACK` and never
 * releases the connection. Lets applications without Kysely enqueue transactionally.
 *
 * @example
 * const connection = await pool.getConnection(); // mysql2/promise
 * await connection.beginTransaction();
 * await connection.query('insert into orders …');
 * await store.runInsertMany({ runs, transaction: connection });
 * await connection.commit();
 */
export async function runInMySqlConnectionTransaction<T>(
  connection: AnyMySqlConnection,
  work: (transaction: SqlExecutor) => Promise<T>,
): Promise<T> {
  // The promise API wraps a callback connection; Kysely's driver speaks the callback API.
  const core =
    'connection' in connection && typeof connection.connection?.query === 'function'
      ? connection.connection
      : (connection as Pick<Connection, 'query'>);
  const borrowed = wrapMySqlConnection(core, () => {});
  const db = new Kysely<AnyDb>({
    dialect: new CallerTransactionDialect({
      pool: { getConnection: (callback) => callback(null, borrowed), end: (callback) => callback(null) },
    }),
  });
  try {
    return await db.transaction().execute((trx) => work(trx));
  } finally {
    await db.destroy();
  }
}

class CallerTransactionDialect extends MysqlDialect {
  readonly #config: ConstructorParameters<typeof MysqlDialect>[0];

  constructor(config: ConstructorParameters<typeof MysqlDialect>[0]) {
    super(config);
    this.#config = config;
  }

  override createDriver(): Driver {
    return new CallerTransactionDriver(this.#config);
  }
}

/** The caller owns the transaction: beginning, committing and rolling back are theirs. */
class CallerTransactionDriver extends MysqlDriver {
  override async beginTransaction(_connection: DatabaseConnection): Promise<void> {}
  override async commitTransaction(_connection: DatabaseConnection): Promise<void> {}
  override async rollbackTransaction(_connection: DatabaseConnection): Promise<void> {}
}
