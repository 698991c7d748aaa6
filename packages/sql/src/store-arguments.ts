import { InvalidArgumentError, type NewRun, type ProgressUpdate } from '@durably/core';

/**
 * Argument checks of the SQL store's methods: bad input is rejected with an `InvalidArgumentError`
 * naming the argument, before anything reaches the database.
 */
export const storeArguments = {
  /** Counts such as `limit`: an integer >= 1. */
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
  /** Lease durations: > 0 ms (a zero lease would expire at once). */
  leaseDuration(value: number, argument: string): void {
    if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
      throw new InvalidArgumentError(
        argument,
        `expected a lease duration in milliseconds > 0, got ${String(value)}.`,
      );
    }
  },
  date(value: Date, argument: string): void {
    if (!(value instanceof Date) || Number.isNaN(value.getTime())) {
      throw new InvalidArgumentError(argument, `expected a valid Date, got ${String(value)}.`);
    }
  },
  /** JSON text, as core's payload serialiser produces it. */
  json(value: string, argument: string): void {
    try {
      JSON.parse(value);
    } catch {
      throw new InvalidArgumentError(argument, 'expected JSON text (serialise the payload with core first).');
    }
  },
  newRun(run: NewRun, argument: string): void {
    if (typeof run.jobName !== 'string' || run.jobName.length === 0) {
      throw new InvalidArgumentError(`${argument}.jobName`, 'expected a non-empty job name.');
    }
    if (typeof run.payloadJson !== 'string') {
      throw new InvalidArgumentError(`${argument}.payloadJson`, 'expected JSON text.');
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
    for (const [name, value] of Object.entries(run.metadata ?? {})) {
      if (typeof value !== 'string') {
        throw new InvalidArgumentError(`${argument}.metadata.${name}`, 'metadata values must be strings.');
      }
    }
  },
  progress(update: ProgressUpdate, argument: string): void {
    if (
      typeof update.percent !== 'number' ||
      !Number.isFinite(update.percent) ||
      update.percent < 0 ||
      update.percent > 100
    ) {
      throw new InvalidArgumentError(
        `${argument}.percent`,
        `expected a number from 0 to 100, got ${String(update.percent)}.`,
      );
    }
  },
};
