import { randomBytes } from 'node:crypto';
import type { DurablyStore } from '@durably/core';
import { createMySqlStore } from '@durably/mysql';
import { createPostgresStore } from '@durably/postgres';
import { createSqliteStore } from '@durably/sqlite';

/** How a child process (and the test) opens the shared store. Serialisable: passed on the command line. */
export type StoreTarget =
  | { provider: 'sqlite'; filename: string }
  | { provider: 'postgres'; url: string; schema: string }
  /** `url` names a throwaway database created for the test (see `createMySqlDatabase`). */
  | { provider: 'mysql'; url: string; database: string };

/** Opens the store a target describes. Short-lived test processes, so small pools. */
export function openStore(target: StoreTarget): DurablyStore {
  switch (target.provider) {
    case 'sqlite':
      return createSqliteStore({ filename: target.filename });
    case 'postgres':
      return createPostgresStore({ connectionString: target.url, schema: target.schema, poolSize: 4, leasePoolSize: 1 });
    case 'mysql':
      return createMySqlStore({ connectionString: target.url, maxConnections: 4 });
  }
}

/** Creates a throwaway MySQL/MariaDB database on the server of `baseUrl` and returns its target. */
export async function createMySqlDatabase(
  baseUrl: string,
  label: string,
): Promise<Extract<StoreTarget, { provider: 'mysql' }>> {
  const database = `durably_rp_${label}_${randomBytes(4).toString('hex')}`;
  await withMySql(baseUrl, (connection) => connection.query(`create database \`${database}\``));
  const url = new URL(baseUrl);
  url.pathname = `/${database}`;
  return { provider: 'mysql', url: url.toString(), database };
}

/** Drops a test schema (Postgres) or database (MySQL) — the tests' own cleanup, not a store API. */
export async function dropTarget(target: StoreTarget): Promise<void> {
  if (target.provider === 'mysql') {
    await withMySql(target.url, (connection) => connection.query(`drop database if exists \`${target.database}\``));
    return;
  }
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

async function withMySql(url: string, task: (connection: import('mysql2/promise').Connection) => Promise<unknown>): Promise<void> {
  const { createConnection } = await import('mysql2/promise');
  const connection = await createConnection(url);
  try {
    await task(connection);
  } finally {
    await connection.end();
  }
}

/** A fresh schema name per test file, so parallel runs never share tables. */
export function uniqueSchema(label: string): string {
  return `durably_rp_${label}_${randomBytes(4).toString('hex')}`;
}
