import {
  ConfigurationError,
  InvalidArgumentError,
  parseDuration,
  type Clock,
  type JobContext,
  type LogLevel,
} from '@durably/core';
import { abortAttempt, attemptSignal, type ActiveAttempt } from './active-attempts.js';
import type { RunJournal } from './run-journal.js';
import { toJobLogger, type WorkerLogger } from './worker-logger.js';

/** The context object handed to a handler; `scope` is set once the scope factory has run. */
export type AttemptContext = JobContext & { scope: unknown };

const logLevels: readonly LogLevel[] = ['debug', 'info', 'warn', 'error'];

/**
 * Builds the `JobContext` of one attempt. Progress and log lines go to the journal (batched);
 * `snooze`, `retryAt` and `requestCancellation` record requests that decide the outcome when the
 * handler returns or throws.
 */
export function createAttemptContext(input: {
  attempt: ActiveAttempt;
  journal: RunJournal;
  logger: WorkerLogger;
  clock: Clock;
}): AttemptContext {
  const { attempt, journal } = input;
  const { run } = attempt;
  return {
    runId: run.runId,
    jobName: run.jobName,
    attempt: run.attempt,
    maxAttempts: run.maxAttempts,
    scheduledFor: run.scheduledFor,
    startedAt: run.startedAt ?? new Date(attempt.startedAtMs),
    get signal() {
      return attemptSignal(attempt);
    },
    metadata: Object.freeze({ ...run.metadata }),
    logger: toJobLogger(input.logger),
    scope: undefined,
    progress(percent, message) {
      if (typeof percent !== 'number' || !Number.isFinite(percent)) {
        throw new InvalidArgumentError('percent', `expected a number from 0 to 100, got ${String(percent)}.`);
      }
      journal.progress(attempt.ref, Math.min(100, Math.max(0, percent)), message ?? null);
    },
    log(message, level = 'info') {
      if (!logLevels.includes(level)) {
        throw new InvalidArgumentError(
          'level',
          `expected one of ${logLevels.join(', ')}, got ${String(level)}.`,
        );
      }
      journal.log(attempt.ref, level, String(message));
    },
    requestCancellation() {
      attempt.requests.cancellationRequested = true;
      abortAttempt(attempt, 'cancelled');
    },
    snooze(delay) {
      attempt.requests.snoozeDelayMs = readDelay(delay);
    },
    retryAt(time) {
      if (!(time instanceof Date) || Number.isNaN(time.getTime())) {
        throw new InvalidArgumentError('time', 'expected a valid Date for ctx.retryAt(time).');
      }
      attempt.requests.retryAt = time;
    },
  };
}

function readDelay(delay: number | string): number {
  try {
    return parseDuration(delay, 'delay');
  } catch (error) {
    if (error instanceof ConfigurationError) {
      throw new InvalidArgumentError(
        'delay',
        `${String(delay)} is not a duration; use milliseconds or a string such as "30s" or "5m".`,
      );
    }
    throw error;
  }
}
