import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { createPostgresStore } from '@durably/postgres';
import { createSqliteStore } from '@durably/sqlite';
import pg from 'pg';
import type { StoreFactory } from './admin-fixture.js';

/** SQLite stores, each in its own file of one temp directory; `cleanup` removes the directory. */
export function sqliteStores(): { factory: StoreFactory; cleanup(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'durably-admin-'));
  let counter = 0;
  return {
    factory: async (clock) => {
      counter += 1;
      const store = createSqliteStore({ filename: join(dir, `admin-${counter}.db`), clock, synchronous: 'normal' });
      await store.migrate();
      return { store, destroy: () => store.close() };
    },
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/**
 * PostgreSQL stores from `DURABLY_TEST_POSTGRES_URL`, each in a fresh schema dropped afterwards.
 * Returns `undefined` when the variable is unset (the caller skips visibly); a set but unreachable
 * URL throws, so CI never mistakes a dead database for a pass.
 */
export async function postgresStores(): Promise<StoreFactory | undefined> {
  const url = process.env.DURABLY_TEST_POSTGRES_URL;
  if (!url) return undefined;
  await withClient(url, (client) => client.query('select 1')).catch((error: unknown) => {
    throw new Error(`DURABLY_TEST_POSTGRES_URL is set but PostgreSQL cannot be reached (${String(error)}). Start it or unset the variable.`);
  });
  return async (clock) => {
    const schema = `durably_t_admin_${randomBytes(4).toString('hex')}`;
    const store = createPostgresStore({ connectionString: url, schema, clock, poolSize: 3, notifications: false });
    await store.migrate();
    return {
      store,
      destroy: async () => {
        await store.close();
        await withClient(url, (client) => client.query(`drop schema if exists "${schema}" cascade`));
      },
    };
  };
}

async function withClient<T>(url: string, use: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5_000 });
  try {
    await client.connect();
    return await use(client);
  } finally {
    await client.end().catch(() => {});
  }
}
