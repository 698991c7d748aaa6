import type { AnyDb, SqlExecutor } from '@durably/sql';
import { Kysely, PostgresDialect, PostgresDriver, type DatabaseConnection, type Driver } from 'kysely';

/** The part of a `pg.Client` / `pg.PoolClient` we use. */
interface PgQueryable {
  query(...args: unknown[]): Promise<unknown>;
}

/** Whether `value` is a pg client (and not a Kysely instance): the caller's native connection. */
export function isPgClient(value: unknown): value is PgQueryable {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as {
    query?: unknown;
    selectFrom?: unknown;
    connect?: unknown;
    totalCount?: unknown;
  };
  // A pg.Pool also has `query`, but a pool cannot hold the caller's transaction.
  return (
    typeof candidate.query === 'function' &&
    candidate.selectFrom === undefined &&
    candidate.totalCount === undefined
  );
}

/**
 * Runs `work` with a Kysely `Transaction` over the caller's own pg client, inside the transaction
 * the caller opened on it (`BEGIN` … `COMMIT` stay the caller's: this issues neither, and never
 * releases the client). Lets applications without Kysely enqueue transactionally:
 *
 * @example
 * const client = await pool.connect();
 * await client.query('begin');
 * await client.query('insert into orders …');
 * await store.runInsertMany({ runs, transaction: client });
 * await client.query('commit');
 */
export async function runInPgClientTransaction<T>(
  client: PgQueryable,
  work: (transaction: SqlExecutor) => Promise<T>,
): Promise<T> {
  const borrowed = { query: (...args: unknown[]) => client.query(...args), release: () => {} };
  const db = new Kysely<AnyDb>({
    dialect: new CallerTransactionDialect({
      pool: { connect: async () => borrowed as never, end: async () => {} },
    }),
  });
  try {
    return await db.transaction().execute((trx) => work(trx));
  } finally {
    await db.destroy();
  }
}

class CallerTransactionDialect extends PostgresDialect {
  readonly #config: ConstructorParameters<typeof PostgresDialect>[0];

  constructor(config: ConstructorParameters<typeof PostgresDialect>[0]) {
    super(config);
    this.#config = config;
  }

  override createDriver(): Driver {
    return new CallerTransactionDriver(this.#config);
  }
}

/** The caller owns the transaction: beginning, committing and rolling back are theirs. */
class CallerTransactionDriver extends PostgresDriver {
  override async beginTransaction(_connection: DatabaseConnection): Promise<void> {}
  override async commitTransaction(_connection: DatabaseConnection): Promise<void> {}
  override async rollbackTransaction(_connection: DatabaseConnection): Promise<void> {}
}
