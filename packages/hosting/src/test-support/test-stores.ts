import { randomBytes } from 'node:crypto';
import type { DurablyStore } from '@durably/core';
import { createPostgresStore } from '@durably/postgres';
import { createSqliteStore } from '@durably/sqlite';

/** How a child process (and the test) opens the shared store. Serialisable: passed on the command line. */
export type StoreTarget =
  | { provider: 'sqlite'; filename: string }
  | { provider: 'postgres'; url: string; schema: string };

/** Opens the store a target describes. Short-lived test processes, so small Postgres pools. */
export function openStore(target: StoreTarget): DurablyStore {
  if (target.provider === 'sqlite') return createSqliteStore({ filename: target.filename });
  return createPostgresStore({ connectionString: target.url, schema: target.schema, poolSize: 4, leasePoolSize: 1 });
}

/** Drops a test schema (Postgres) — the tests' own cleanup, not part of any store API. */
export async function dropTarget(target: StoreTarget): Promise<void> {
  if (target.provider !== 'postgres') return;
  const { default: pg } = await import('pg');
  const client = new pg.Client({ connectionString: target.url });
  await client.connect();
  try {
    await client.query(`drop schema if exists "${target.schema}" cascade`);
  } finally {
    await client.end();
  }
}

/** A fresh schema name per test file, so parallel runs never share tables. */
export function uniqueSchema(label: string): string {
  return `durably_rp_${label}_${randomBytes(4).toString('hex')}`;
}
