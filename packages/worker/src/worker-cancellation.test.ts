import { defineJob } from '@durably/core';
import { afterEach, describe, expect, it } from 'vitest';
import { AttemptAbortedError } from './attempt-aborted-error.js';
import { createHarness, deferred, stopAndCheck, type Harness } from './test-support/harness.js';

let harness: Harness | undefined;
afterEach(async () => {
  if (harness) await stopAndCheck(harness.worker);
  harness = undefined;
});

/** A handler that waits until its signal aborts, then throws the abort reason. */
function waitsForAbort(reasons: unknown[]) {
  return (_payload: unknown, ctx: { signal: AbortSignal }) =>
    new Promise<void>((_resolve, reject) => {
      ctx.signal.addEventListener('abort', () => {
        reasons.push(ctx.signal.reason);
        reject(ctx.signal.reason);
      });
    });
}

describe('cancellation', () => {
  it('cancels a pending run at once; the worker never runs it', async () => {
    let calls = 0;
    const job = defineJob({ name: 'c1', run: () => void (calls += 1) });
    harness = createHarness({ jobs: [job] });
    const runId = await harness.client.enqueue(job);
    expect((await harness.client.cancel(runId)).outcome).toBe('cancelled');
    await harness.worker.drain();
    expect(calls).toBe(0);
    expect((await harness.run(runId)).status).toBe('cancelled');
  });

  it('cancels a waiting_retry run; it is not retried', async () => {
    let calls = 0;
    const job = defineJob({ name: 'c2', run: () => Promise.reject(new Error(`fail ${++calls}`)) });
    harness = createHarness({ jobs: [job] });
    const runId = await harness.client.enqueue(job);
    await harness.worker.drain();
    expect((await harness.run(runId)).status).toBe('waiting_retry');
    expect((await harness.client.cancel(runId)).outcome).toBe('cancelled');
    harness.clock.advance(60_000);
    await harness.worker.drain();
    expect(calls).toBe(1);
    expect((await harness.run(runId)).status).toBe('cancelled');
  });

  it('cancelling an active run aborts ctx.signal at the next heartbeat and ends it cancelled', async () => {
    const reasons: unknown[] = [];
    const job = defineJob({ name: 'c3', run: waitsForAbort(reasons) });
    harness = createHarness({ jobs: [job] });
    const runId = await harness.client.enqueue(job);
    await harness.worker.runOnce();
    expect((await harness.client.cancel(runId)).outcome).toBe('cancel_requested');
    expect(reasons).toEqual([]);
    await harness.worker.heartbeatOnce();
    await harness.worker.whenIdle();
    expect(AttemptAbortedError.is(reasons[0], 'cancelled')).toBe(true);
    const run = await harness.run(runId);
    expect(run.status).toBe('cancelled');
    expect(harness.eventTypes(runId)).toEqual(['job_claimed', 'job_started', 'job_cancelled']);
  });

  it('a handler that returns normally after a cancel request still ends cancelled', async () => {
    const job = defineJob({
      name: 'c4',
      run: (_payload, ctx) => new Promise<void>((resolve) => ctx.signal.addEventListener('abort', () => resolve())),
    });
    harness = createHarness({ jobs: [job] });
    const runId = await harness.client.enqueue(job);
    await harness.worker.runOnce();
    await harness.client.cancel(runId);
    await harness.worker.heartbeatOnce();
    await harness.worker.whenIdle();
    expect((await harness.run(runId)).status).toBe('cancelled');
  });

  it('cancelJob stops every active run of a job', async () => {
    const reasons: unknown[] = [];
    const job = defineJob<number>({ name: 'c5', run: waitsForAbort(reasons) });
    harness = createHarness({ jobs: [job], options: { maxConcurrentRuns: 2 } });
    await harness.client.enqueueMany(job, [1, 2, 3]);
    await harness.worker.runOnce(); // two running, one pending
    const counts = await harness.client.cancelJob(job);
    expect(counts).toEqual({ cancelled: 1, cancelRequested: 2 });
    await harness.worker.heartbeatOnce();
    await harness.worker.whenIdle();
    expect((await harness.store.runCountByStatus({})).cancelled).toBe(3);
  });

  it('a cancel requested after the last heartbeat still wins over a retry; events say cancelled', async () => {
    const release = deferred();
    const job = defineJob({
      name: 'c6',
      run: async () => {
        await release.promise;
        throw new Error('failed after the cancel request');
      },
    });
    harness = createHarness({ jobs: [job] });
    const runId = await harness.client.enqueue(job);
    await harness.worker.runOnce();
    expect((await harness.client.cancel(runId)).outcome).toBe('cancel_requested');
    release.resolve(); // no heartbeat in between: the worker does not know and reports a retry
    await harness.worker.whenIdle();
    expect((await harness.run(runId)).status).toBe('cancelled');
    expect(harness.eventTypes(runId)).toEqual(['job_claimed', 'job_started', 'job_cancelled']);
  });
});
