import { InvalidArgumentError } from '@durably/core';
import { transientSocketCodes } from '@durably/sql';

/**
 * SQLSTATE classes and codes after which a retry can succeed: the connection broke (08), the
 * server is shutting down or starting (57P01–57P03), too many connections (53300), a
 * serialization failure or deadlock victim (40001, 40P01), a lock timeout (55P03).
 */
const transientSqlStates = new Set(['53300', '57P01', '57P02', '57P03', '40001', '40P01', '55P03']);

/** pg's own messages for a connection that ended or could not be made in time. */
const transientMessages = [
  'Connection terminated',
  'connection is not queryable',
  'timeout exceeded when trying to connect',
  'Client was closed and is not queryable',
  'Connection ended unexpectedly',
];

/**
 * Whether a `pg` error is transient: the store reports it as `StoreUnavailableError` and callers
 * (the worker loop) retry later. Constraint violations, syntax errors and permission errors are not.
 */
export function isPostgresTransientError(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { code, message } = error as { code?: unknown; message?: unknown };
  if (typeof code === 'string') {
    if (code.startsWith('08') || transientSqlStates.has(code) || transientSocketCodes.has(code)) return true;
  }
  if (error instanceof AggregateError) return error.errors.some((inner) => isPostgresTransientError(inner));
  return typeof message === 'string' && transientMessages.some((text) => message.includes(text));
}

/** unique_violation. */
export function isPostgresUniqueViolation(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === '23505';
}

/**
 * Errors a caller can fix, as typed errors: `jsonb` cannot hold the NUL character (`\u0000`), so a
 * payload or metadata value containing it is refused with a message that says so (SQLSTATE 22P05,
 * "unsupported Unicode escape sequence").
 */
export function translatePostgresError(error: unknown): Error | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const { code } = error as { code?: unknown };
  if (code === '22P05') {
    return new InvalidArgumentError(
      'payloadJson',
      'PostgreSQL jsonb cannot store the \\u0000 (NUL) character. Remove it from the payload or ' +
        'metadata, or encode the value (e.g. base64).',
    );
  }
  return undefined;
}
