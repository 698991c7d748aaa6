import { transientSocketCodes } from '@durably/sql';

/**
 * Server error numbers after which the same work can succeed later: the connection or server went
 * away (1040 too many connections, 1053 shutdown, 1152/1158–1161 aborted or broken packets, 1203 per-user
 * connection limit, 1927 connection killed (MariaDB), 4031 idle disconnect (MySQL 8)), a query killed
 * by an operator (1317), and the two lock conflicts (1205 lock wait timeout, 1213 deadlock victim).
 */
const transientErrnos = new Set([
  1040, 1053, 1152, 1158, 1159, 1160, 1161, 1203, 1205, 1213, 1317, 1927, 4031,
]);

/** Client-side (mysql2 and Node socket) codes of a server that is down, restarting or unreachable. */
const transientCodes = new Set([
  'PROTOCOL_CONNECTION_LOST',
  'PROTOCOL_SEQUENCE_TIMEOUT',
  ...transientSocketCodes,
]);

/** mysql2's own message for a query sent on a connection that has already closed. */
const closedConnectionMessage = "Can't add new command when connection is in closed state";

/**
 * Whether a mysql2 error is transient: the store reports it as `StoreUnavailableError` and callers
 * (the worker loop) retry later. Constraint violations, syntax and permission errors are not.
 */
export function isMySqlTransientError(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { errno, code, fatal, message } = error as {
    errno?: unknown;
    code?: unknown;
    fatal?: unknown;
    message?: unknown;
  };
  if (typeof errno === 'number' && transientErrnos.has(errno)) return true;
  if (typeof code === 'string' && transientCodes.has(code)) return true;
  if (error instanceof AggregateError) return error.errors.some((inner) => isMySqlTransientError(inner));
  // A fatal error means mysql2 dropped the connection (and the pool will open a new one).
  if (fatal === true && typeof errno !== 'number') return true;
  return typeof message === 'string' && message.includes(closedConnectionMessage);
}

/** A lock conflict (deadlock victim 1213, lock wait timeout 1205): the transaction was rolled back. */
export function isMySqlLockConflict(error: unknown): boolean {
  const errno =
    typeof error === 'object' && error !== null ? (error as { errno?: unknown }).errno : undefined;
  return errno === 1213 || errno === 1205;
}

/** ER_DUP_ENTRY (1062) and its variant naming the key (1586). */
export function isMySqlUniqueViolation(error: unknown): boolean {
  const errno =
    typeof error === 'object' && error !== null ? (error as { errno?: unknown }).errno : undefined;
  return errno === 1062 || errno === 1586;
}
