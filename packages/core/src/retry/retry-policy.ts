import { InvalidArgumentError } from '../errors.js';
import type { JobDefinition } from '../job-definition.js';
import type { ResolvedOptions } from '../options/durably-options.js';

/** What `computeRetryDelayMs` needs: the failed attempt, the job's retry settings and the global ones. */
export interface RetryDelayInput {
  /** The attempt that just failed, from 1. */
  failedAttempt: number;
  /** The job's retry settings: `mode` and optional `initialDelaySeconds`. */
  retry: JobDefinition['retry'];
  options: Pick<
    ResolvedOptions,
    'retryDelayMs' | 'retryMaxDelayMs' | 'retryJitterEnabled' | 'retryJitterRatio'
  >;
  /** Uniform random number in [0, 1); injectable for tests. Default `Math.random`. */
  random?: () => number;
}

// Beyond this, base * 2^exponent overflows to Infinity and Infinity * 0 (full jitter) is NaN. A
// quarter of the largest double still dwarfs any delay that fits a timestamp, so capping here
// changes no result after the clamp to retryMaxDelayMs (itself at most 2^53 ms).
const largestDelayMs = Number.MAX_VALUE / 4;

/**
 * The delay in **milliseconds** before the next attempt of a run whose attempt `failedAttempt`
 * failed, in the reference's order of operations:
 * 1. base = the job's `retry.initialDelaySeconds` when set and > 0, else the global `retryDelayMs`;
 * 2. `fixed` keeps the base; `backoff` = base × 2^(failedAttempt − 1) (5 s, 10 s, 20 s, …);
 * 3. when `retryJitterEnabled`, multiply by a uniform factor in [1 − ratio, 1 + ratio];
 * 4. clamp to `retryMaxDelayMs`; never negative; rounded to whole milliseconds.
 *
 * @throws InvalidArgumentError when `failedAttempt` is not an integer >= 1.
 * @example
 * computeRetryDelayMs({ failedAttempt: 3, retry: { mode: 'backoff', initialDelaySeconds: undefined }, options });
 * // 20_000 with the default 5 s retryDelay
 */
export function computeRetryDelayMs(input: RetryDelayInput): number {
  const { failedAttempt, retry, options, random = Math.random } = input;
  if (!Number.isInteger(failedAttempt) || failedAttempt < 1) {
    throw new InvalidArgumentError(
      'failedAttempt',
      `${failedAttempt} is not an attempt number; use an integer >= 1`,
    );
  }
  const perJob = retry.initialDelaySeconds;
  const base = perJob !== undefined && perJob > 0 ? perJob * 1000 : options.retryDelayMs;
  let delay = retry.mode === 'backoff' ? growBackoff(base, failedAttempt) : base;
  if (options.retryJitterEnabled && options.retryJitterRatio > 0) {
    delay *= 1 + options.retryJitterRatio * (2 * random() - 1);
  }
  return Math.round(Math.max(0, Math.min(delay, options.retryMaxDelayMs)));
}

function growBackoff(base: number, failedAttempt: number): number {
  if (base <= 0) return 0;
  // 2^1023 is the largest finite power of two; larger attempt numbers change nothing after the cap.
  const grown = base * 2 ** Math.min(failedAttempt - 1, 1023);
  return Math.min(grown, largestDelayMs);
}

/**
 * Whether a run whose attempt `attempt` failed may be tried again: `attempt < maxAttempts`
 * (`maxAttempts` counts the first attempt, so 3 allows two retries).
 */
export function canRetry(attempt: number, maxAttempts: number): boolean {
  return attempt < maxAttempts;
}
