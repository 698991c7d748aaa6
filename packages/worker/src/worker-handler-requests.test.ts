import { AttemptAbortedError } from './attempt-aborted-error.js';
import { defineJob, InvalidArgumentError } from '@durably/core';
import { afterEach, describe, expect, it } from 'vitest';
import { createHarness, stopAndCheck, type Harness } from './test-support/harness.js';

let harness: Harness | undefined;
afterEach(async () => {
  if (harness) await stopAndCheck(harness.worker);
  harness = undefined;
});

describe('handler requests: snooze, retryAt, requestCancellation, timeout', () => {
  it('snooze makes the run due again later without spending an attempt', async () => {
    let calls = 0;
    const job = defineJob({
      name: 'snoozer',
      maxAttempts: 1,
      run: (_payload, ctx) => {
        calls += 1;
        if (calls === 1) ctx.snooze('5m');
      },
    });
    harness = createHarness({ jobs: [job] });
    const runId = await harness.client.enqueue(job);
    await harness.worker.drain();
    let run = await harness.run(runId);
    expect(run.status).toBe('pending');
    expect(run.runAt.getTime() - harness.clock.now().getTime()).toBe(300_000);
    expect(run.maxAttempts).toBe(2); // raised by the store: the snoozed attempt does not count

    harness.clock.advance(300_000);
    await harness.worker.drain();
    run = await harness.run(runId);
    expect(calls).toBe(2);
    expect(run.status).toBe('succeeded');
    expect((await harness.store.attemptList({ runId })).map((attempt) => attempt.outcome)).toEqual(['snoozed', 'succeeded']);
  });

  it('snooze accepts milliseconds and rejects garbage with a typed error', async () => {
    const errors: unknown[] = [];
    const job = defineJob({
      name: 'snooze-args',
      run: (_payload, ctx) => {
        try {
          ctx.snooze('soon');
        } catch (error) {
          errors.push(error);
        }
        ctx.snooze(1_500);
      },
    });
    harness = createHarness({ jobs: [job] });
    const runId = await harness.client.enqueue(job);
    await harness.worker.drain();
    expect(errors[0]).toBeInstanceOf(InvalidArgumentError);
    const run = await harness.run(runId);
    expect(run.runAt.getTime() - harness.clock.now().getTime()).toBe(1_500);
  });

  it('retryAt sets the next attempt time when the handler then throws', async () => {
    const at = new Date('2026-01-01T06:00:00Z');
    const job = defineJob({
      name: 'retry-at',
      run: (_payload, ctx) => {
        ctx.retryAt(at);
        throw new Error('rate limited');
      },
    });
    harness = createHarness({ jobs: [job] });
    const runId = await harness.client.enqueue(job);
    await harness.worker.drain();
    const run = await harness.run(runId);
    expect(run.status).toBe('waiting_retry');
    expect(run.runAt.toISOString()).toBe(at.toISOString());
  });

  it('retryAt does not grant an attempt beyond maxAttempts', async () => {
    const job = defineJob({
      name: 'retry-at-last',
      maxAttempts: 1,
      run: (_payload, ctx) => {
        ctx.retryAt(new Date('2026-01-02T00:00:00Z'));
        throw new Error('still failing');
      },
    });
    harness = createHarness({ jobs: [job] });
    const runId = await harness.client.enqueue(job);
    await harness.worker.drain();
    expect((await harness.run(runId)).status).toBe('failed');
  });

  it('requestCancellation aborts the signal and ends the run cancelled', async () => {
    let reason: unknown;
    const job = defineJob({
      name: 'self-cancel',
      run: (_payload, ctx) => {
        ctx.requestCancellation();
        reason = ctx.signal.reason;
        throw ctx.signal.reason;
      },
    });
    harness = createHarness({ jobs: [job] });
    const runId = await harness.client.enqueue(job);
    await harness.worker.drain();
    expect(AttemptAbortedError.is(reason, 'cancelled')).toBe(true);
    expect((await harness.run(runId)).status).toBe('cancelled');
    expect(harness.eventTypes(runId)).toContain('job_cancelled');
  });

  it('a job timeout aborts the signal; a throw then is a TimeoutError that retries per policy', async () => {
    const reasons: unknown[] = [];
    const job = defineJob({
      name: 'slow',
      timeoutSeconds: 10,
      maxAttempts: 2,
      run: (_payload, ctx) =>
        new Promise((_resolve, reject) => {
          ctx.signal.addEventListener('abort', () => {
            reasons.push(ctx.signal.reason);
            reject(ctx.signal.reason);
          });
        }),
    });
    harness = createHarness({ jobs: [job] });
    const runId = await harness.client.enqueue(job);
    await harness.worker.runOnce();
    harness.clock.advance(9_999);
    await harness.worker.heartbeatOnce();
    expect(reasons).toEqual([]);
    harness.clock.advance(1);
    await harness.worker.heartbeatOnce(); // the fake clock passed the deadline
    await harness.worker.whenIdle();
    expect(AttemptAbortedError.is(reasons[0], 'timeout')).toBe(true);
    const run = await harness.run(runId);
    expect(run.status).toBe('waiting_retry');
    expect(run.lastError?.name).toBe('TimeoutError');
    expect(run.lastError?.message).toContain('timeout of 10 s');
  });

  it('a job timeout fires on its own timer with the real clock', async () => {
    const job = defineJob({
      name: 'slow-real',
      timeoutSeconds: 0.05,
      maxAttempts: 1,
      run: (_payload, ctx) => new Promise((_resolve, reject) => ctx.signal.addEventListener('abort', () => reject(ctx.signal.reason))),
    });
    const { systemClock, createMemoryStore } = await import('@durably/core');
    harness = createHarness({ jobs: [job], store: createMemoryStore({ clock: systemClock }), clock: { ...systemClock, advance: () => new Date(), set: () => new Date() } });
    const runId = await harness.client.enqueue(job);
    await harness.worker.drain();
    const run = await harness.run(runId);
    expect(run.status).toBe('failed');
    expect(run.lastError?.name).toBe('TimeoutError');
  });
});
