import type { Clock } from '@durably/core';
import type { EventingLogger } from './eventing-logger.js';

/**
 * Logs a recurring problem at most once per interval, with how often it happened since the last
 * line. An overflowing buffer drops events thousands of times a second; one line a minute saying
 * how many is what an operator can act on, a line per drop would bury the log.
 */
export interface RateLimitedWarning {
  /** Counts one occurrence (or `count`), logging if the interval since the last line has passed. */
  record(fields?: Record<string, unknown>, count?: number): void;
}

/**
 * Creates a {@link RateLimitedWarning}.
 *
 * @param input.intervalMs least time between two lines, in ms (the first occurrence logs at once).
 */
export function createRateLimitedWarning(input: {
  logger: EventingLogger;
  message: string;
  intervalMs: number;
  clock: Clock;
}): RateLimitedWarning {
  let lastLoggedAtMs = Number.NEGATIVE_INFINITY;
  let unreported = 0;
  return {
    record(fields = {}, count = 1) {
      unreported += count;
      const now = input.clock.now().getTime();
      if (now - lastLoggedAtMs < input.intervalMs) return;
      lastLoggedAtMs = now;
      input.logger.warn({ ...fields, occurrences: unreported }, input.message);
      unreported = 0;
    },
  };
}
