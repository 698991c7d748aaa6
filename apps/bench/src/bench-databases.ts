import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DurablyStore } from '@durably/core';
import { createMySqlStore } from '@durably/mysql';
import { createPostgresStore } from '@durably/postgres';
import { createSqliteStore } from '@durably/sqlite';
import mysql from 'mysql2/promise';
import pg from 'pg';

export const benchProviders = ['postgres', 'mysql', 'sqlite'] as const;
export type BenchProvider = (typeof benchProviders)[number];

/** Where one scenario runs: a fresh schema, database or file, with a store factory over it. */
export interface BenchTarget {
  createStore(): DurablyStore;
  /** Whether an idle worker is woken by notifications (else it polls: see `idlePollSeconds`). */
  notifications: boolean;
}

/**
 * Poll interval of the latency scenario's idle worker where the store has no notifications
 * (MySQL, SQLite): the figure then measures this interval, and the output says so.
 */
export const idlePollSeconds = 0.05;

/** The database a provider benchmarks against, from `DURABLY_BENCH_*_URL`, else the test URLs. */
export function benchUrl(provider: BenchProvider): string {
  if (provider === 'postgres') {
    return (
      process.env.DURABLY_BENCH_POSTGRES_URL ??
      process.env.DURABLY_TEST_POSTGRES_URL ??
      'postgres://postgres@127.0.0.1:5432/test'
    );
  }
  if (provider === 'mysql') {
    return (
      process.env.DURABLY_BENCH_MYSQL_URL ??
      process.env.DURABLY_TEST_MYSQL_URL ??
      'mysql://root@127.0.0.1:3306/test'
    );
  }
  return join(tmpdir(), 'durably-bench-*.db');
}

/** Runs `work` on a fresh place for scenario `label`, removed afterwards. */
export async function withFreshTarget<T>(
  provider: BenchProvider,
  label: string,
  work: (target: BenchTarget) => Promise<T>,
): Promise<T> {
  const name = `durably_bench_${label}_${process.pid}`;
  if (provider === 'postgres') return withPostgresSchema(benchUrl(provider), name, work);
  if (provider === 'mysql') return withMySqlDatabase(benchUrl(provider), name, work);
  return withSqliteFile(work);
}

async function withPostgresSchema<T>(url: string, schema: string, work: (target: BenchTarget) => Promise<T>) {
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  try {
    await admin.query(`drop schema if exists "${schema}" cascade`);
    return await work({
      createStore: () => createPostgresStore({ connectionString: url, schema, poolSize: 10 }),
      notifications: true,
    });
  } finally {
    await admin.query(`drop schema if exists "${schema}" cascade`).catch(() => {});
    await admin.end();
  }
}

async function withMySqlDatabase<T>(
  url: string,
  database: string,
  work: (target: BenchTarget) => Promise<T>,
) {
  const admin = await mysql.createConnection(url);
  const scenarioUrl = new URL(url);
  scenarioUrl.pathname = `/${database}`;
  try {
    await admin.query(`drop database if exists \`${database}\``);
    await admin.query(`create database \`${database}\``);
    return await work({
      createStore: () => createMySqlStore({ connectionString: scenarioUrl.toString() }),
      notifications: false,
    });
  } finally {
    await admin.query(`drop database if exists \`${database}\``).catch(() => {});
    await admin.end();
  }
}

async function withSqliteFile<T>(work: (target: BenchTarget) => Promise<T>) {
  const dir = mkdtempSync(join(tmpdir(), 'durably-bench-'));
  try {
    return await work({
      createStore: () => createSqliteStore({ filename: join(dir, 'bench.db') }),
      notifications: false,
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
