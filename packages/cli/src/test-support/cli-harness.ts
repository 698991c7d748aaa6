import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import mysql from 'mysql2/promise';
import pg from 'pg';
import { runCli } from '../run-cli.js';

/** The fixture config module, as a path the CLI can load. */
export const fixtureConfig = fileURLToPath(new URL('./fixture-config.ts', import.meta.url));

/** What one in-process CLI call produced. */
export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
  /** `stdout` parsed as JSON (for `--json` calls). */
  json<T = Record<string, unknown>>(): T;
}

/** Runs `durably …` in-process with `env` (and an optional abort signal for `worker`). */
export async function cli(
  args: readonly string[],
  env: NodeJS.ProcessEnv,
  signal?: AbortSignal,
): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(args, {
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text) },
    env,
    ...(signal ? { signal } : {}),
  });
  const json = <T>(): T => {
    try {
      return JSON.parse(stdout) as T;
    } catch {
      // Say what the command printed instead, so a failure explains itself.
      throw new Error(
        `durably ${args.join(' ')} exited ${code} without JSON; stdout: ${stdout} stderr: ${stderr}`,
      );
    }
  };
  return { code, stdout, stderr, json };
}

/** A fresh, empty database for one test file, and how to remove it. */
export interface TestDatabase {
  name: 'sqlite' | 'postgres' | 'mysql';
  url: string;
  /** Makes the empty database where the server needs it made first (MySQL). */
  create?(): Promise<void>;
  drop(): Promise<void>;
}

/** A SQLite file in a new temp folder. */
export function sqliteTestDatabase(): TestDatabase {
  const dir = mkdtempSync(join(tmpdir(), 'durably-cli-'));
  return {
    name: 'sqlite',
    url: `sqlite:${join(dir, 'durably.db')}`,
    drop: async () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** A fresh schema on `baseUrl` (named in the URL's `?schema=`), dropped afterwards. */
export function postgresTestDatabase(baseUrl: string): TestDatabase {
  const schema = `cli_${randomBytes(6).toString('hex')}`;
  const url = new URL(baseUrl);
  url.searchParams.set('schema', schema);
  return {
    name: 'postgres',
    url: url.toString(),
    async drop() {
      const client = new pg.Client({ connectionString: baseUrl });
      await client.connect();
      try {
        await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      } finally {
        await client.end();
      }
    },
  };
}

/** Polls `probe` until it returns a value (bounded). */
export async function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  timeoutMs = 20_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** A fresh database on the MySQL/MariaDB server of `baseUrl`, dropped afterwards. */
export function mysqlTestDatabase(baseUrl: string): TestDatabase {
  const database = `cli_${randomBytes(6).toString('hex')}`;
  const url = new URL(baseUrl);
  url.pathname = `/${database}`;
  const admin = async <T>(
    statement: string,
    use: (connection: mysql.Connection) => Promise<T> = async (c) => (
      await c.query(statement),
      undefined as T
    ),
  ) => {
    const connection = await mysql.createConnection(baseUrl);
    try {
      return await use(connection);
    } finally {
      await connection.end();
    }
  };
  return {
    name: 'mysql',
    url: url.toString(),
    create: () => admin(`CREATE DATABASE ${database}`),
    drop: () => admin(`DROP DATABASE IF EXISTS ${database}`),
  };
}
