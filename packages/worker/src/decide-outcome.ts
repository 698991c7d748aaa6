import { DurablyError, type FinishOutcome, type RunError } from '@durably/core';
import type { AbortCause } from './attempt-aborted-error.js';
import { toRunError } from './to-run-error.js';

/** How the handler ended: it returned (any value), or it threw. */
export type HandlerResult = { kind: 'returned' } | { kind: 'threw'; error: unknown };

/** What the handler asked for through `ctx` during the attempt. */
export interface AttemptRequests {
  /** `ctx.snooze(delay)`: due again after this many ms, without spending an attempt. */
  snoozeDelayMs: number | undefined;
  /** `ctx.retryAt(time)`: on a retryable failure, retry at this time instead of the policy's delay. */
  retryAt: Date | undefined;
  /** `ctx.requestCancellation()` was called or the run's cancellation was requested in the store. */
  cancellationRequested: boolean;
}

/** Everything `decideOutcome` looks at. */
export interface DecideOutcomeInput {
  jobName: string;
  attempt: number;
  maxAttempts: number;
  timeoutSeconds: number | undefined;
  result: HandlerResult;
  requests: AttemptRequests;
  /** Why `ctx.signal` was aborted, if it was (lease loss is handled before: such attempts are not finished). */
  abortCause: AbortCause | undefined;
  /** The policy's delay before the next attempt after `failedAttempt` failed (`computeRetryDelayMs`). */
  retryDelayMs(failedAttempt: number): number;
  now: Date;
}

/**
 * Maps how an attempt ended to what happens to its run. The rules, in order:
 * 1. A cancellation request wins: the run ends `cancelled`, whatever the handler did.
 * 2. A handler that returned succeeded — even after a timeout or shutdown abort, since its work is
 *   done — unless it snoozed, which makes the run due again without spending the attempt.
 * 3. A handler that threw after a shutdown abort is `interrupted` (released; not its fault).
 * 4. `NonRetryableError` fails the run at once; otherwise it retries while `attempt < maxAttempts`
 *   (at `ctx.retryAt` when given, else after the policy's delay), and fails when none are left.
 *   A throw after a timeout abort is recorded as a `TimeoutError`.
 */
export function decideOutcome(input: DecideOutcomeInput): FinishOutcome {
  const { result, requests } = input;
  if (requests.cancellationRequested || input.abortCause === 'cancelled') {
    return result.kind === 'threw' && !isAbort(result.error)
      ? { type: 'cancelled', error: toRunError(result.error) }
      : { type: 'cancelled' };
  }
  if (result.kind === 'returned') {
    return requests.snoozeDelayMs === undefined
      ? { type: 'succeeded' }
      : { type: 'snoozed', delayMs: requests.snoozeDelayMs };
  }
  if (input.abortCause === 'shutdown') return { type: 'interrupted', error: toRunError(result.error) };
  const error = input.abortCause === 'timeout' ? timeoutError(input, result.error) : toRunError(result.error);
  if (isNonRetryable(result.error) || input.attempt >= input.maxAttempts) return { type: 'failed', error };
  if (requests.retryAt) {
    const delayMs = Math.max(0, requests.retryAt.getTime() - input.now.getTime());
    return { type: 'retry', error, delayMs, runAt: requests.retryAt };
  }
  return { type: 'retry', error, delayMs: input.retryDelayMs(input.attempt) };
}

function isNonRetryable(error: unknown): boolean {
  return DurablyError.isInstance(error) && error.code === 'non_retryable';
}

function isAbort(error: unknown): boolean {
  return error instanceof Error && error.name === 'AbortError';
}

function timeoutError(input: DecideOutcomeInput, thrown: unknown): RunError {
  const detail = toRunError(thrown);
  const seconds = input.timeoutSeconds ?? 0;
  return {
    name: 'TimeoutError',
    message: `Job "${input.jobName}" attempt ${input.attempt} exceeded its timeout of ${seconds} s; its signal was aborted and it ended with: ${detail.message}`,
    ...(detail.stack === undefined ? {} : { stack: detail.stack }),
  };
}
