import { transientSocketCodes } from '@durably/sql';

/**
 * SQL Server error numbers after which the same work can succeed later: deadlock victim (1205),
 * lock request timeout (1222), the database or server is starting, failing over or busy (Azure SQL:
 * 40197, 40501, 40613, 49918–49920; on-premises: 233, 4060, 4221, 10053, 10054, 10060, 10928, 10929).
 */
const transientNumbers = new Set([
  233, 1205, 1222, 4060, 4221, 10053, 10054, 10060, 10928, 10929, 40143, 40197, 40501, 40613, 49918, 49919,
  49920,
]);

/** tedious `ConnectionError` codes (and Node socket codes) of a server that is down or unreachable. */
const transientCodes = new Set(['ESOCKET', 'ETIMEOUT', 'ECLOSE', 'EINSTLOOKUP', ...transientSocketCodes]);

/**
 * Whether a tedious / tarn error is transient: the store reports it as `StoreUnavailableError` and
 * callers (the worker loop) retry later. Constraint violations, syntax, permission and login errors
 * are not (a wrong password does not heal by waiting).
 */
export function isSqlServerTransientError(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { number, code, name, cause } = error as {
    number?: unknown;
    code?: unknown;
    name?: unknown;
    cause?: unknown;
  };
  if (typeof number === 'number' && transientNumbers.has(number)) return true;
  if (typeof code === 'string' && transientCodes.has(code)) return true;
  // tarn gives up waiting for a pooled connection (its TimeoutError keeps the name `Error`): the
  // server is slow or unreachable.
  if (name === 'TimeoutError' || error.constructor?.name === 'TimeoutError') return true;
  if (error instanceof AggregateError) return error.errors.some((inner) => isSqlServerTransientError(inner));
  return cause !== undefined && cause !== error && isSqlServerTransientError(cause);
}

/** A lock conflict (deadlock victim 1205, lock request timeout 1222): the statement or transaction was rolled back. */
export function isSqlServerLockConflict(error: unknown): boolean {
  const number =
    typeof error === 'object' && error !== null ? (error as { number?: unknown }).number : undefined;
  return number === 1205 || number === 1222;
}

/** Duplicate key in a unique index (2601) or a unique / primary key constraint (2627). */
export function isSqlServerUniqueViolation(error: unknown): boolean {
  const number =
    typeof error === 'object' && error !== null ? (error as { number?: unknown }).number : undefined;
  return number === 2601 || number === 2627;
}
