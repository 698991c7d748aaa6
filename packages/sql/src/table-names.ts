import { ConfigurationError } from '@durably/core';

/**
 * What an identifier part (`tablePrefix`, `schema`) may contain: a letter or underscore, then
 * letters, digits and underscores. Nothing else reaches SQL text, so a prefix can never inject SQL.
 */
const identifierPattern = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * The longest prefix we accept: 24 characters keep the longest derived name
 * (`<prefix>durably_runs_active_key_uq`, 26 + prefix) under 63, PostgreSQL's identifier limit and
 * below MySQL's 64.
 */
const maxPrefixLength = 24;

/** The name of every object the SQL stores create, with the prefix (and schema) applied. */
export interface TableNames {
  /** Schema the tables live in (PostgreSQL, SQL Server); `undefined` = the connection's default. */
  readonly schema: string | undefined;
  /** The validated prefix (may be empty). */
  readonly prefix: string;
  /** Qualified table references (`schema.table` when a schema is set), for queries. */
  readonly runs: string;
  readonly attempts: string;
  readonly logs: string;
  readonly schedules: string;
  readonly workers: string;
  /** Unqualified names of the migrator's tables (the migrator qualifies them itself). */
  readonly migrations: string;
  readonly migrationLock: string;
  /** `<prefix>durably_<name>` — for indexes, constraints and notification channels. */
  objectName(name: string): string;
}

/**
 * Validates `tablePrefix` (default `''`) and `schema` and derives every object name.
 * Throws `ConfigurationError` naming the option when either is not a plain identifier.
 *
 * @example
 * createTableNames({ tablePrefix: 'app_' }).runs // 'app_durably_runs'
 */
export function createTableNames(options: { tablePrefix?: string; schema?: string }): TableNames {
  const prefix = validateIdentifierPart('tablePrefix', options.tablePrefix ?? '', true);
  const schema =
    options.schema === undefined ? undefined : validateIdentifierPart('schema', options.schema, false);
  const qualify = (name: string): string => (schema ? `${schema}.${prefix}${name}` : `${prefix}${name}`);
  return {
    schema,
    prefix,
    runs: qualify('durably_runs'),
    attempts: qualify('durably_attempts'),
    logs: qualify('durably_run_logs'),
    schedules: qualify('durably_schedules'),
    workers: qualify('durably_workers'),
    migrations: `${prefix}durably_migrations`,
    migrationLock: `${prefix}durably_migrations_lock`,
    objectName: (name) => `${prefix}durably_${name}`,
  };
}

function validateIdentifierPart(key: string, value: string, allowEmpty: boolean): string {
  if (typeof value !== 'string') {
    throw new ConfigurationError(key, `must be a string, got ${typeof value}.`);
  }
  if (value === '' && allowEmpty) return value;
  if (!identifierPattern.test(value)) {
    throw new ConfigurationError(
      key,
      `${JSON.stringify(value)} is not a plain identifier. Use letters, digits and underscores, ` +
        'starting with a letter or underscore (e.g. "app_").',
    );
  }
  if (value.length > maxPrefixLength && key === 'tablePrefix') {
    throw new ConfigurationError(key, `must be at most ${maxPrefixLength} characters, got ${value.length}.`);
  }
  if (value.length > 63) {
    throw new ConfigurationError(key, `must be at most 63 characters, got ${value.length}.`);
  }
  return value;
}
