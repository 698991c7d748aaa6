import { isAbsolute, resolve } from 'node:path';
import { ConfigurationError, type DurablyStore } from '@durably/core';

/** The database URL forms `createStoreFromUrl` accepts, for error messages and help. */
export const acceptedDatabaseUrls = [
  'sqlite:<path> (e.g. sqlite:./data/durably.db or sqlite:///var/lib/app/durably.db)',
  'postgres://user:pass@host:5432/db (also postgresql://; ?schema=name picks a schema)',
  'mysql://user:pass@host:3306/db (MySQL 8 or MariaDB 10.6+; also mariadb://)',
] as const;

/** Options of {@link createStoreFromUrl}. */
export interface StoreFromUrlOptions {
  /**
   * Where the URL came from, named in errors so the reader knows what to fix. Default
   * `DURABLY_DATABASE_URL`; the CLI passes `--database-url` when the flag was used.
   */
  source?: string;
  /** SQLite file used when `url` is empty or undefined. Without it, an empty URL is an error. */
  defaultSqliteFile?: string;
  /** Prefix of every table (letters, digits, `_`). Default `''`. */
  tablePrefix?: string;
  /** Base directory of a relative SQLite path. Default `process.cwd()`. */
  cwd?: string;
}

/** A parsed database URL: which provider, and what to give it. */
export type DatabaseTarget =
  | { provider: 'sqlite'; filename: string }
  | { provider: 'postgres'; connectionString: string; schema: string | undefined }
  | { provider: 'mysql'; connectionString: string };

/**
 * Picks the provider from a database URL: nothing → the SQLite `defaultSqliteFile`;
 * `sqlite:<path>` → SQLite; `postgres://` / `postgresql://` → PostgreSQL (`?schema=` selects the
 * schema and is not passed to the driver); `mysql://` / `mariadb://` → MySQL/MariaDB (the
 * database must exist; use a table prefix to share one).
 *
 * @throws ConfigurationError naming `options.source` and listing the accepted forms.
 */
export function parseDatabaseUrl(url: string | undefined, options: StoreFromUrlOptions = {}): DatabaseTarget {
  const source = options.source ?? 'DURABLY_DATABASE_URL';
  const cwd = options.cwd ?? process.cwd();
  const text = url?.trim() ?? '';
  const fail = (problem: string): never => {
    throw new ConfigurationError(source, `${problem}. Use one of: ${acceptedDatabaseUrls.join('; ')}.`);
  };
  if (text === '') {
    if (options.defaultSqliteFile === undefined) fail('no database URL is set');
    return { provider: 'sqlite', filename: resolve(cwd, options.defaultSqliteFile!) };
  }
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(text)?.[1]?.toLowerCase();
  if (scheme === 'sqlite' || scheme === 'file') {
    const path = sqlitePath(text.slice(scheme.length + 1));
    if (path === '') fail(`"${text}" names no file`);
    return { provider: 'sqlite', filename: isAbsolute(path) ? path : resolve(cwd, path) };
  }
  if (scheme === 'postgres' || scheme === 'postgresql') return postgresTarget(text, fail);
  if (scheme === 'mysql' || scheme === 'mariadb') {
    if (!URL.canParse(text)) fail(`"${redact(text)}" is not a valid URL`);
    return { provider: 'mysql', connectionString: text.replace(/^mariadb:/i, 'mysql:') };
  }
  return fail(
    scheme === undefined ? `"${redact(text)}" has no scheme` : `the scheme "${scheme}:" is not supported`,
  );
}

/** `sqlite:///abs/x.db` and `sqlite:/abs/x.db` are absolute; `sqlite:./x.db` and `sqlite:x.db` relative. */
function sqlitePath(rest: string): string {
  if (rest.startsWith('//')) return decodeURIComponent(rest.slice(2).split('?')[0]!);
  return decodeURIComponent(rest.split('?')[0]!);
}

function postgresTarget(text: string, fail: (problem: string) => never): DatabaseTarget {
  if (!URL.canParse(text)) fail(`"${redact(text)}" is not a valid URL`);
  const parsed = new URL(text);
  if (parsed.hostname === '' && !parsed.searchParams.has('host')) fail(`"${redact(text)}" names no host`);
  const schema = parsed.searchParams.get('schema') ?? undefined;
  // `schema` is ours, not a driver parameter: strip it before pg parses the string.
  parsed.searchParams.delete('schema');
  return {
    provider: 'postgres',
    connectionString: parsed.toString(),
    schema: schema === '' ? undefined : schema,
  };
}

/** Hides a password before a URL is echoed in an error. */
export function redact(text: string): string {
  return text.replace(/(\/\/[^:/@]*:)[^@/]*@/, '$1***@');
}

/**
 * Creates the store a database URL names (see {@link parseDatabaseUrl} for the forms). Shared by the
 * CLI and the sample app so both read `DURABLY_DATABASE_URL` the same way. The store is not migrated.
 *
 * @example
 * const store = await createStoreFromUrl(process.env.DURABLY_DATABASE_URL, { defaultSqliteFile: 'data/durably.db' });
 * await store.migrate();
 */
export async function createStoreFromUrl(
  url: string | undefined,
  options: StoreFromUrlOptions = {},
): Promise<DurablyStore> {
  const target = parseDatabaseUrl(url, options);
  const tablePrefix = options.tablePrefix === '' ? undefined : options.tablePrefix;
  switch (target.provider) {
    case 'sqlite': {
      // Imported on demand, so a PostgreSQL user never loads the SQLite driver and vice versa.
      const { createSqliteStore } = await import('@durably/sqlite');
      return createSqliteStore({ filename: target.filename, ...(tablePrefix ? { tablePrefix } : {}) });
    }
    case 'postgres': {
      const { createPostgresStore } = await import('@durably/postgres');
      return createPostgresStore({
        connectionString: target.connectionString,
        ...(target.schema ? { schema: target.schema } : {}),
        ...(tablePrefix ? { tablePrefix } : {}),
      });
    }
    case 'mysql': {
      const { createMySqlStore } = await import('@durably/mysql');
      return createMySqlStore({
        connectionString: target.connectionString,
        ...(tablePrefix ? { tablePrefix } : {}),
      });
    }
  }
}
