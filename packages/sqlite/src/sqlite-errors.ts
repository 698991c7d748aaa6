/**
 * Which SQLite errors are transient. SQLITE_BUSY and SQLITE_LOCKED mean another connection held
 * the lock for longer than `busy_timeout`; retrying later succeeds. Everything else (constraint,
 * corrupt file, read-only file, full disk) needs a person, so it is not hidden as "unavailable".
 */
export function isSqliteTransientError(error: unknown): boolean {
  const code = sqliteCode(error);
  return code !== undefined && (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED'));
}

/** A unique or primary-key constraint violation. */
export function isSqliteUniqueViolation(error: unknown): boolean {
  const code = sqliteCode(error);
  return code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}

function sqliteCode(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' ? code : undefined;
}
