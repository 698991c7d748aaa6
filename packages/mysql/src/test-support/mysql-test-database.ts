import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll } from 'vitest';
import { createConnection, type Connection } from 'mysql2/promise';

/**
 * The server the tests use: `DURABLY_TEST_MYSQL_URL` (CI sets it to the machine's MariaDB). Unset
 * means "no MySQL here": the suites skip, visibly. Set but unreachable means the suites fail.
 */
export const mysqlTestUrl: string | undefined = process.env.DURABLY_TEST_MYSQL_URL || undefined;

/** The skip reason shown in test titles when no server is configured. */
export const mysqlSkipReason =
  'skipped: DURABLY_TEST_MYSQL_URL is not set (e.g. mysql://root@127.0.0.1:3306/test)';

/**
 * Creates and drops throwaway databases (`durably_t_<random>_<n>`) on the test server, so every
 * test file (and every store in it) works in a database of its own.
 */
export class MySqlTestDatabases {
  readonly #admin: Connection;
  readonly #base: URL;
  readonly #run = randomBytes(4).toString('hex');
  #counter = 0;

  private constructor(admin: Connection, base: URL) {
    this.#admin = admin;
    this.#base = base;
  }

  /** Connects to the server; rejects (failing the suite) when it is unreachable. */
  static async connect(url: string): Promise<MySqlTestDatabases> {
    const admin = await createConnection({ uri: url, connectTimeout: 5_000 });
    return new MySqlTestDatabases(admin, new URL(url));
  }

  /** Creates a fresh database; returns its name and connection string. */
  async create(): Promise<{ name: string; url: string }> {
    this.#counter += 1;
    const name = `durably_t_${this.#run}_${this.#counter}`;
    await this.#admin.query(`create database \`${name}\` character set utf8mb4`);
    const url = new URL(this.#base);
    url.pathname = `/${name}`;
    return { name, url: url.toString() };
  }

  async drop(name: string): Promise<void> {
    await this.#admin.query(`drop database if exists \`${name}\``);
  }

  async close(): Promise<void> {
    await this.#admin.end();
  }
}

/**
 * Registers `beforeAll`/`afterAll` hooks that create one fresh database for the enclosing `describe`
 * and drop it afterwards; call the returned function inside tests to get it.
 */
export function useFreshMySqlDatabase(): () => { name: string; url: string } {
  let databases: MySqlTestDatabases | undefined;
  let database: { name: string; url: string } | undefined;
  beforeAll(async () => {
    databases = await MySqlTestDatabases.connect(mysqlTestUrl!);
    database = await databases.create();
  });
  afterAll(async () => {
    if (database) await databases?.drop(database.name);
    await databases?.close();
  });
  return () => {
    if (!database) throw new Error('the test database is created in beforeAll');
    return database;
  };
}
