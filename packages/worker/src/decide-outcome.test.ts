import { NonRetryableError } from '@durably/core';
import { describe, expect, it } from 'vitest';
import { decideOutcome, type DecideOutcomeInput } from './decide-outcome.js';
import { AttemptAbortedError } from './attempt-aborted-error.js';
import { computePollDelayMs, computeStoreBackoffMs } from './poll-delay.js';

const now = new Date('2026-01-01T00:00:00Z');
function input(overrides: Partial<DecideOutcomeInput>): DecideOutcomeInput {
  return {
    jobName: 'job',
    attempt: 1,
    maxAttempts: 3,
    timeoutSeconds: undefined,
    result: { kind: 'returned' },
    requests: { snoozeDelayMs: undefined, retryAt: undefined, cancellationRequested: false },
    abortCause: undefined,
    retryDelayMs: (failed) => failed * 1000,
    now,
    ...overrides,
  };
}
const threw = (error: unknown) => ({ kind: 'threw' as const, error });

describe('decideOutcome', () => {
  it('maps each way an attempt can end', () => {
    expect(decideOutcome(input({})).type).toBe('succeeded');
    expect(decideOutcome(input({ requests: { snoozeDelayMs: 10, retryAt: undefined, cancellationRequested: false } }))).toEqual({ type: 'snoozed', delayMs: 10 });
    expect(decideOutcome(input({ result: threw(new Error('x')), attempt: 2 }))).toMatchObject({ type: 'retry', delayMs: 2000 });
    expect(decideOutcome(input({ result: threw(new Error('x')), attempt: 3 }))).toMatchObject({ type: 'failed' });
    expect(decideOutcome(input({ result: threw(new NonRetryableError('no')) }))).toMatchObject({ type: 'failed' });
  });

  it('a cancellation request wins over every other ending, keeping a real error', () => {
    const cancel = { snoozeDelayMs: 5, retryAt: undefined, cancellationRequested: true };
    expect(decideOutcome(input({ requests: cancel }))).toEqual({ type: 'cancelled' });
    expect(decideOutcome(input({ requests: cancel, result: threw(new AttemptAbortedError('cancelled')) }))).toEqual({ type: 'cancelled' });
    expect(decideOutcome(input({ requests: cancel, result: threw(new Error('db')) }))).toMatchObject({ type: 'cancelled', error: { message: 'db' } });
  });

  it('shutdown: a throw is interrupted, a return is success', () => {
    expect(decideOutcome(input({ abortCause: 'shutdown', result: threw(new AttemptAbortedError('shutdown')) })).type).toBe('interrupted');
    expect(decideOutcome(input({ abortCause: 'shutdown' })).type).toBe('succeeded');
  });

  it('timeout: a throw becomes a TimeoutError that follows the retry policy', () => {
    const outcome = decideOutcome(input({ abortCause: 'timeout', timeoutSeconds: 3, result: threw(new AttemptAbortedError('timeout')) }));
    expect(outcome).toMatchObject({ type: 'retry', error: { name: 'TimeoutError' } });
  });

  it('retryAt: delay measured from now, runAt passed through', () => {
    const retryAt = new Date(now.getTime() + 42_000);
    expect(decideOutcome(input({ result: threw(new Error('x')), requests: { snoozeDelayMs: undefined, retryAt, cancellationRequested: false } })))
      .toMatchObject({ type: 'retry', delayMs: 42_000, runAt: retryAt });
  });

  it('non-Error throws are recorded by their text', () => {
    expect(decideOutcome(input({ result: threw('plain string'), attempt: 3 }))).toMatchObject({ type: 'failed', error: { name: 'Error', message: 'plain string' } });
  });
});

describe('poll delay and store backoff', () => {
  it('jitters within ±ratio and not at all with ratio 0', () => {
    expect(computePollDelayMs({ pollIntervalMs: 5000, jitterRatio: 0.2, random: () => 0 })).toBe(4000);
    expect(computePollDelayMs({ pollIntervalMs: 5000, jitterRatio: 0.2, random: () => 0.5 })).toBe(5000);
    expect(computePollDelayMs({ pollIntervalMs: 5000, jitterRatio: 0.2, random: () => 0.9999999 })).toBe(6000);
    expect(computePollDelayMs({ pollIntervalMs: 5000, jitterRatio: 0, random: () => 0 })).toBe(5000);
  });

  it('backs off exponentially to a cap', () => {
    expect([0, 1, 2, 3, 10, 100].map((failures) => computeStoreBackoffMs(failures))).toEqual([0, 250, 500, 1000, 10_000, 10_000]);
  });
});
