/** Why the worker aborted an attempt's `ctx.signal`. */
export type AbortCause = 'cancelled' | 'lease_lost' | 'timeout' | 'shutdown';

const messages: Record<AbortCause, string> = {
  cancelled: 'The run was cancelled; stop work and return.',
  lease_lost:
    'This worker lost the lease on the run (it stalled past its lease or the store reassigned the run); stop work and return.',
  timeout: 'The attempt exceeded its job timeout; stop work and return.',
  shutdown: 'The worker is shutting down and the grace period is over; stop work and return.',
};

/**
 * The `reason` of an aborted `ctx.signal`. Its `name` is `AbortError`, so code that already checks
 * `error.name === 'AbortError'` (fetch, timers/promises, most drivers) treats it as an abort; `cause`
 * says which of the four reasons it was.
 *
 * @example
 * if (ctx.signal.aborted && AttemptAbortedError.is(ctx.signal.reason, 'cancelled')) return;
 */
export class AttemptAbortedError extends Error {
  override readonly name = 'AbortError';

  constructor(override readonly cause: AbortCause) {
    super(messages[cause]);
  }

  /** True when `value` is an `AttemptAbortedError` (optionally with the given cause). */
  static is(value: unknown, cause?: AbortCause): value is AttemptAbortedError {
    return value instanceof AttemptAbortedError && (cause === undefined || value.cause === cause);
  }
}
