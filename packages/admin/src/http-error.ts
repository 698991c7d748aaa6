import { DurablyError, type DurablyErrorCode } from '@durably/core';

/** An error with an HTTP status and a message safe to show to the caller. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

/** HTTP status per Durably error code. Codes not listed are unexpected: 500 without details. */
const statusByCode: Partial<Record<DurablyErrorCode, number>> = {
  invalid_configuration: 400,
  invalid_schedule: 400,
  invalid_payload: 400,
  invalid_argument: 400,
  invalid_job_definition: 400,
  run_not_found: 404,
  schedule_not_found: 404,
  // The job is not defined in the running code (e.g. "run now" on an orphaned schedule).
  unknown_job: 409,
  run_key_conflict: 409,
  store_unavailable: 503,
  store_closed: 503,
};

/**
 * Turns a thrown value into an `HttpError`, or `undefined` when it is unexpected. Messages of
 * `DurablyError`s are ours and written for users; store faults (503) get a fixed message because a
 * driver's text can name hosts or users.
 */
export function toHttpError(error: unknown): HttpError | undefined {
  if (error instanceof HttpError) return error;
  if (!DurablyError.isInstance(error)) return undefined;
  const status = statusByCode[error.code];
  if (status === undefined) return undefined;
  if (status === 503) {
    return new HttpError(503, error.code, 'The job store is unavailable right now; retry in a moment.');
  }
  return new HttpError(status, error.code, error.message);
}
