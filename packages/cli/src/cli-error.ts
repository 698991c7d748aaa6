import { DurablyError, type DurablyErrorCode } from '@durably/core';
import { exitCodes, type ExitCode } from './exit-codes.js';

/** An error the CLI reports as one line and turns into an exit code. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: ExitCode,
  ) {
    super(message);
    this.name = 'CliError';
  }
}

/** Throws a usage error (exit code 2). */
export function usageError(message: string): never {
  throw new CliError(message, exitCodes.usage);
}

const exitCodeByDurablyCode: Record<DurablyErrorCode, ExitCode> = {
  invalid_configuration: exitCodes.usage,
  invalid_job_definition: exitCodes.usage,
  invalid_schedule: exitCodes.usage,
  invalid_payload: exitCodes.usage,
  invalid_argument: exitCodes.usage,
  unknown_job: exitCodes.notFound,
  run_not_found: exitCodes.notFound,
  schedule_not_found: exitCodes.notFound,
  run_key_conflict: exitCodes.failure,
  non_retryable: exitCodes.failure,
  store_unavailable: exitCodes.failure,
  schema_version: exitCodes.failure,
  store_closed: exitCodes.failure,
};

/** What SQLite, PostgreSQL and MySQL say when a table is missing. */
const missingTable = /no such table|relation "[^"]+" does not exist|Table '[^']+' doesn't exist/i;

/**
 * The one line and exit code for any error. Durably's errors already say what to do; anything else
 * (a driver's "connection refused") is a runtime failure, reported by its message only: a stack
 * trace helps nobody running a command.
 */
export function describeFailure(error: unknown): { message: string; exitCode: ExitCode } {
  if (error instanceof CliError) return { message: error.message, exitCode: error.exitCode };
  if (DurablyError.isInstance(error)) {
    return { message: error.message, exitCode: exitCodeByDurablyCode[error.code] ?? exitCodes.failure };
  }
  const message = error instanceof Error ? error.message : String(error);
  if (missingTable.test(message)) {
    return {
      message: `the database has no Durably tables (${message.split('\n')[0]}): run \`durably migrate\` first, or check the URL, schema and table prefix.`,
      exitCode: exitCodes.failure,
    };
  }
  const code = (error as { code?: unknown } | null)?.code;
  const connection =
    typeof code === 'string' &&
    /^(ECONNREFUSED|ENOTFOUND|ETIMEDOUT|EHOSTUNREACH|ECONNRESET|3D000|28P01|28000)$/.test(code);
  return {
    message: connection
      ? `cannot use the database: ${message || code}`
      : message.split('\n')[0] || (error as Error).name || 'unknown error',
    exitCode: exitCodes.failure,
  };
}
