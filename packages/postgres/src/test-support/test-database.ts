import { randomBytes } from 'node:crypto';
import pg from 'pg';

/** Where the PostgreSQL tests run, or why they are skipped. */
export type TestDatabase = { url: string; stop(): Promise<void> } | { url: undefined; skipReason: string };

/**
 * The test database (for this package's tests only, not exported):
 * 1. `DURABLY_TEST_POSTGRES_URL` when set — and then it must be reachable: an unreachable URL fails
 *    the tests (never a silent skip), so CI cannot mistake a dead database for a pass.
 * 2. Otherwise a throwaway container through testcontainers, when Docker is available.
 * 3. Otherwise the tests are skipped, with the reason printed.
 */
export async function resolveTestDatabase(): Promise<TestDatabase> {
  const url = process.env.DURABLY_TEST_POSTGRES_URL;
  if (url) {
    await assertReachable(url);
    return { url, stop: async () => {} };
  }
  try {
    const { PostgreSqlContainer } = await import('@testcontainers/postgresql');
    const container = await new PostgreSqlContainer('postgres:15-alpine').start();
    return { url: container.getConnectionUri(), stop: async () => void (await container.stop()) };
  } catch (error) {
    const skipReason =
      'PostgreSQL tests skipped: DURABLY_TEST_POSTGRES_URL is not set and no Docker runtime was found ' +
      `for testcontainers (${error instanceof Error ? error.message : String(error)}). ` +
      'Set DURABLY_TEST_POSTGRES_URL=postgres://postgres@127.0.0.1:5432/test to run them.';
    console.warn(skipReason);
    return { url: undefined, skipReason };
  }
}

async function assertReachable(url: string): Promise<void> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5_000 });
  try {
    await client.connect();
    await client.query('select 1');
  } catch (error) {
    throw new Error(
      `DURABLY_TEST_POSTGRES_URL is set but the database cannot be reached (${String(error)}). ` +
        'Start PostgreSQL or unset the variable.',
      { cause: error },
    );
  } finally {
    await client.end().catch(() => {});
  }
}

/** A fresh schema name for one test file or one store. */
export function uniqueSchemaName(label: string): string {
  return `durably_t_${label}_${randomBytes(4).toString('hex')}`;
}

/** Drops a schema and everything in it. */
export async function dropSchema(url: string, schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`drop schema if exists "${schema}" cascade`);
  } finally {
    await client.end();
  }
}
