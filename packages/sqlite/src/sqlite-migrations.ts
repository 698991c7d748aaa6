import type { ColumnKind } from '@durably/sql';

/**
 * SQLite DDL types of the shared schema. Times are INTEGER milliseconds since the epoch (exact,
 * indexable, compared as numbers); JSON is TEXT; booleans are 0/1. The migrations themselves (and
 * their numbers) are `@durably/sql`'s; SQLite adds nothing of its own to them.
 */
export const sqliteColumnTypes: Record<ColumnKind, string> = {
  id: 'text',
  name: 'text',
  text: 'text',
  json: 'text',
  time: 'integer',
  bool: 'integer',
  int: 'integer',
  double: 'real',
};

/** The log table's key: an alias of SQLite's rowid, so it rises with every insert. */
export const sqliteSerialPrimaryKey = (name: string): string => `${name} integer primary key`;

/**
 * Connection settings applied when the store opens its file. WAL lets readers run while one
 * process writes; `busy_timeout` makes a writer wait for the lock instead of failing.
 */
export function sqlitePragmas(options: { busyTimeoutMs: number; synchronous: 'full' | 'normal' }): string[] {
  return [
    'journal_mode = WAL',
    `busy_timeout = ${Math.max(0, Math.floor(options.busyTimeoutMs))}`,
    `synchronous = ${options.synchronous === 'normal' ? 'NORMAL' : 'FULL'}`,
  ];
}
