import { InvalidArgumentError } from './errors.js';
import { checkPayloadMatch, type PayloadMatch } from './payload-match.js';
import type { FinishOutcome, NewRun, ProgressUpdate } from './store.js';

/**
 * Argument checks for the methods of a `DurablyStore`. The memory store and `@durably/sql`
 * call these, and a provider written outside this repository should too, so that every store
 * rejects the same bad input with the same `InvalidArgumentError` (naming the argument, e.g.
 * `runs[2].maxAttempts`) before it changes anything or reaches a database.
 *
 * Each check returns nothing and throws `InvalidArgumentError` when the value is out of range.
 *
 * @example
 * ```ts
 * import { storeArguments } from '@durably/core';
 * storeArguments.positiveInteger(params.limit, 'limit');
 * storeArguments.leaseDuration(params.leaseDurationMs, 'leaseDurationMs');
 * ```
 */
export const storeArguments = {
  /** Counts such as `limit`: a safe integer >= 1. */
  positiveInteger(value: number, argument: string): void {
    if (!Number.isSafeInteger(value) || value < 1) {
      throw new InvalidArgumentError(argument, `expected an integer >= 1, got ${String(value)}.`);
    }
  },
  /** Durations in milliseconds: a finite number >= 0. */
  duration(value: number, argument: string): void {
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
      throw new InvalidArgumentError(
        argument,
        `expected a duration in milliseconds >= 0, got ${String(value)}.`,
      );
    }
  },
  /** Lease durations in milliseconds: a finite number > 0 (a zero lease would expire at once). */
  leaseDuration(value: number, argument: string): void {
    if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
      throw new InvalidArgumentError(
        argument,
        `expected a lease duration in milliseconds > 0, got ${String(value)}.`,
      );
    }
  },
  /** A `Date` that holds a time (not `new Date('garbage')`). */
  date(value: Date, argument: string): void {
    if (!(value instanceof Date) || Number.isNaN(value.getTime())) {
      throw new InvalidArgumentError(argument, `expected a valid Date, got ${String(value)}.`);
    }
  },
  /** JSON text, as core's payload serialiser produces it. */
  json(value: string, argument: string): void {
    if (typeof value !== 'string') {
      throw new InvalidArgumentError(argument, 'expected JSON text (serialise the payload with core first).');
    }
    try {
      JSON.parse(value);
    } catch {
      throw new InvalidArgumentError(argument, 'expected JSON text (serialise the payload with core first).');
    }
  },
  /**
   * A run to insert: non-empty `jobName`, JSON `payloadJson`, `maxAttempts` >= 1, integer
   * `priority`, valid `runAt` (or null) and string-valued `metadata` (missing metadata is allowed).
   */
  newRun(run: NewRun, argument: string): void {
    if (typeof run.jobName !== 'string' || run.jobName.length === 0) {
      throw new InvalidArgumentError(`${argument}.jobName`, 'expected a non-empty job name.');
    }
    storeArguments.json(run.payloadJson, `${argument}.payloadJson`);
    storeArguments.positiveInteger(run.maxAttempts, `${argument}.maxAttempts`);
    if (!Number.isSafeInteger(run.priority)) {
      throw new InvalidArgumentError(
        `${argument}.priority`,
        `expected an integer, got ${String(run.priority)}.`,
      );
    }
    if (run.runAt !== null) storeArguments.date(run.runAt, `${argument}.runAt`);
    // `?? {}`: callers outside TypeScript may leave metadata out; that means "none", not an error.
    for (const [name, value] of Object.entries(run.metadata ?? {})) {
      if (typeof value !== 'string') {
        throw new InvalidArgumentError(`${argument}.metadata.${name}`, 'metadata values must be strings.');
      }
    }
  },
  /**
   * `runList`'s `payloadMatch`: a path of 1 to 16 segments (keys of 1 to 128 characters, indexes
   * integers >= 0) and a scalar value (see `checkPayloadMatch`).
   */
  payloadMatch(match: PayloadMatch, argument: string): void {
    checkPayloadMatch(match, argument);
  },
  /** A progress update: `percent` a number from 0 to 100 (inclusive). */
  progress(update: ProgressUpdate, argument: string): void {
    const percent = update.percent;
    if (typeof percent !== 'number' || !Number.isFinite(percent) || percent < 0 || percent > 100) {
      throw new InvalidArgumentError(
        `${argument}.percent`,
        `expected a number from 0 to 100, got ${String(percent)}.`,
      );
    }
  },
  /**
   * A finish's outcome: a retry or snooze needs a finite `delayMs` >= 0, and its `runAt`, when
   * given, must be a valid date.
   */
  finishOutcome(outcome: FinishOutcome, argument: string): void {
    if (outcome.type !== 'retry' && outcome.type !== 'snoozed') return;
    storeArguments.duration(outcome.delayMs, `${argument}.delayMs`);
    if (outcome.runAt !== undefined) storeArguments.date(outcome.runAt, `${argument}.runAt`);
  },
};
