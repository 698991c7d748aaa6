import { randomBytes } from 'node:crypto';
import type { AnyDb } from '@durably/sql';
import { Kysely, MssqlDialect, sql } from 'kysely';
import * as tarn from 'tarn';
import * as tedious from 'tedious';
import { parseSqlServerConnectionString } from '../sqlserver-connection.js';

/** A SQL Server for the tests, or the reason there is none (shown in the skipped suite's title). */
export interface SqlServerTestTarget {
  url: string | undefined;
  reason: string;
  stop(): Promise<void>;
}

/** Image and password of the throwaway container (a local test secret, never a real one). */
const image = 'mcr.microsoft.com/mssql/server:2022-latest';
const containerPassword = `Durably-${randomBytes(6).toString('hex')}-Aa1`;

/**
 * `DURABLY_TEST_MSSQL_URL` when set (an unreachable server then fails the suite: it never skips);
 * else a container through testcontainers when a container runtime answers; else none, with the
 * reason. testcontainers fails within milliseconds when there is no Docker, so trying is cheap.
 */
export async function resolveSqlServerTarget(): Promise<SqlServerTestTarget> {
  const url = process.env.DURABLY_TEST_MSSQL_URL;
  if (url) return { url, reason: 'DURABLY_TEST_MSSQL_URL', stop: async () => {} };
  try {
    const { GenericContainer, Wait } = await import('testcontainers');
    const container = await new GenericContainer(image)
      .withEnvironment({ ACCEPT_EULA: 'Y', MSSQL_SA_PASSWORD: containerPassword })
      .withExposedPorts(1433)
      .withWaitStrategy(Wait.forLogMessage(/Recovery is complete/))
      .withStartupTimeout(180_000)
      .start();
    const address = `mssql://sa:${encodeURIComponent(containerPassword)}@${container.getHost()}:${container.getMappedPort(1433)}/master`;
    return {
      url: `${address}?trustServerCertificate=true`,
      reason: 'testcontainers',
      stop: async () => void (await container.stop()),
    };
  } catch (error) {
    const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
    return {
      url: undefined,
      reason: `no SQL Server: DURABLY_TEST_MSSQL_URL is not set and testcontainers failed (${reason})`,
      stop: async () => {},
    };
  }
}

/** An admin connection that creates and drops one schema per store. */
export class SqlServerTestSchemas {
  readonly #db: Kysely<AnyDb>;
  readonly #run = randomBytes(3).toString('hex');
  #counter = 0;

  constructor(url: string) {
    const config = parseSqlServerConnectionString(url);
    this.#db = new Kysely<AnyDb>({
      dialect: new MssqlDialect({
        tarn: { ...tarn, options: { min: 0, max: 2 } },
        tedious: { ...tedious, connectionFactory: () => new tedious.Connection(config) },
      }),
    });
  }

  /** Fails when the server is unreachable (so a configured but dead server fails the suite). */
  async check(): Promise<void> {
    await sql`select 1 as one`.execute(this.#db);
  }

  nextName(): string {
    this.#counter += 1;
    return `durably_t_${this.#run}_${this.#counter}`;
  }

  /** Drops every table of `schema` (children first) and the schema. */
  async drop(schema: string): Promise<void> {
    for (const table of [
      'durably_attempts',
      'durably_run_logs',
      'durably_runs',
      'durably_schedules',
      'durably_workers',
      'durably_migrations',
      'durably_migrations_lock',
    ]) {
      await sql`drop table if exists ${sql.table(`${schema}.${table}`)}`.execute(this.#db);
    }
    await sql`drop schema if exists ${sql.id(schema)}`.execute(this.#db);
  }

  async close(): Promise<void> {
    await this.#db.destroy();
  }
}
