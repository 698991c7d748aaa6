import { defineJob, type RetryOptions } from '@durably/core';
import { afterEach, describe, expect, it } from 'vitest';
import { createHarness, stopAndCheck, type Harness } from './test-support/harness.js';

let harness: Harness | undefined;
afterEach(async () => {
  if (harness) await stopAndCheck(harness.worker);
  harness = undefined;
});

/**
 * Fails every attempt and records, after each one, how far in the future the run became due
 * (the store's runAt minus the fake clock's now), then moves the clock there and drains again.
 */
async function observedDelays(input: {
  retry?: RetryOptions;
  maxAttempts: number;
  options?: Parameters<typeof createHarness>[0]['options'];
  random?: () => number;
}): Promise<number[]> {
  const job = defineJob({ name: 'always-fails', maxAttempts: input.maxAttempts, ...(input.retry ? { retry: input.retry } : {}), run: () => Promise.reject(new Error('no')) });
  harness = createHarness({ jobs: [job], options: input.options, ...(input.random ? { random: input.random } : {}) });
  const runId = await harness.client.enqueue(job);
  const delays: number[] = [];
  for (;;) {
    await harness.worker.drain();
    const run = await harness.run(runId);
    if (run.status !== 'waiting_retry') {
      expect(run.status).toBe('failed');
      expect(run.attempt).toBe(input.maxAttempts);
      return delays;
    }
    const delay = run.runAt.getTime() - harness.clock.now().getTime();
    delays.push(delay);
    harness.clock.advance(delay);
  }
}

describe('retry timing observed through runs', () => {
  it('fixed: the global retryDelay (default 5 s) between every attempt', async () => {
    expect(await observedDelays({ maxAttempts: 4 })).toEqual([5_000, 5_000, 5_000]);
  });

  it('fixed with a per-job initial delay', async () => {
    expect(await observedDelays({ maxAttempts: 3, retry: { mode: 'fixed', initialDelaySeconds: 2 } })).toEqual([2_000, 2_000]);
  });

  it('backoff doubles per failed attempt: base × 2^(attempt−1)', async () => {
    expect(await observedDelays({ maxAttempts: 5, retry: { mode: 'backoff', initialDelaySeconds: 10 } })).toEqual([
      10_000, 20_000, 40_000, 80_000,
    ]);
  });

  it('backoff falls back to the global retryDelay', async () => {
    expect(await observedDelays({ maxAttempts: 4, retry: { mode: 'backoff' }, options: { retryDelay: '1s' } })).toEqual([
      1_000, 2_000, 4_000,
    ]);
  });

  it('clamps to retryMaxDelay', async () => {
    const delays = await observedDelays({
      maxAttempts: 6,
      retry: { mode: 'backoff', initialDelaySeconds: 60 },
      options: { retryMaxDelay: '5m' },
    });
    expect(delays).toEqual([60_000, 120_000, 240_000, 300_000, 300_000]);
  });

  it('jitter stays within ±ratio (lowest and highest random draws)', async () => {
    const low = await observedDelays({ maxAttempts: 2, options: { retryJitterEnabled: true, retryJitterRatio: 0.2 }, random: () => 0 });
    await stopAndCheck(harness!.worker);
    const high = await observedDelays({ maxAttempts: 2, options: { retryJitterEnabled: true, retryJitterRatio: 0.2 }, random: () => 0.999999 });
    expect(low).toEqual([4_000]);
    expect(high[0]).toBeGreaterThan(5_990);
    expect(high[0]).toBeLessThanOrEqual(6_000);
  });

  it('jitter never exceeds retryMaxDelay', async () => {
    const delays = await observedDelays({
      maxAttempts: 2,
      options: { retryDelay: '10s', retryMaxDelay: '10s', retryJitterEnabled: true, retryJitterRatio: 0.5 },
      random: () => 0.999,
    });
    expect(delays).toEqual([10_000]);
  });

  it('reports the delay in retry_scheduled', async () => {
    await observedDelays({ maxAttempts: 3, retry: { mode: 'backoff', initialDelaySeconds: 1 } });
    const scheduled = harness!.events.filter((event) => event.type === 'retry_scheduled');
    expect(scheduled.map((event) => event.type === 'retry_scheduled' && event.delayMs)).toEqual([1_000, 2_000]);
  });
});
