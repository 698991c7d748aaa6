import { defineJob } from '@durably/core';
import { afterEach, describe, expect, it } from 'vitest';
import { AttemptAbortedError } from './attempt-aborted-error.js';
import { createHarness, deferred, stopAndCheck, type Harness } from './test-support/harness.js';

let harness: Harness | undefined;
afterEach(async () => {
  if (harness && harness.worker.state !== 'stopped') await stopAndCheck(harness.worker, 100);
  harness = undefined;
});

describe('stop({ graceMs })', () => {
  it('lets in-flight attempts finish within the grace period and claims nothing new', async () => {
    const started = deferred();
    const release = deferred();
    const job = defineJob<number>({
      name: 'finishing',
      run: async () => {
        started.resolve();
        await release.promise;
      },
    });
    harness = createHarness({ jobs: [job], options: { maxConcurrentRuns: 1 } });
    const [first, second] = await harness.client.enqueueMany(job, [1, 2]);
    await harness.worker.runOnce();
    await started.promise;
    const stopping = harness.worker.stop({ graceMs: 5_000 });
    setTimeout(() => release.resolve(), 20);
    await stopping;
    // Both were due at the same instant: either may have been the one claimed.
    const statuses = [(await harness.run(first!.runId)).status, (await harness.run(second!.runId)).status];
    expect(statuses.sort()).toEqual(['pending', 'succeeded']);
    expect(harness.worker.state).toBe('stopped');
    expect(harness.worker.pendingTimers).toBe(0);
  });

  it('after the grace period aborts the signal; a handler that throws then is interrupted and due again now', async () => {
    const reasons: unknown[] = [];
    const job = defineJob({
      name: 'interruptible',
      maxAttempts: 1,
      run: (_payload, ctx) =>
        new Promise<void>((_resolve, reject) => ctx.signal.addEventListener('abort', () => {
          reasons.push(ctx.signal.reason);
          reject(ctx.signal.reason);
        })),
    });
    harness = createHarness({ jobs: [job] });
    const runId = await harness.client.enqueue(job);
    await harness.worker.runOnce();
    await harness.worker.stop({ graceMs: 20 });
    expect(AttemptAbortedError.is(reasons[0], 'shutdown')).toBe(true);
    const run = await harness.run(runId);
    expect(run.status).toBe('pending');
    expect(run.runAt.getTime()).toBe(harness.clock.now().getTime());
    expect(run.maxAttempts).toBe(2); // the interruption is not counted against the job
    expect(run.leaseOwner).toBeNull();
    expect((await harness.store.attemptList({ runId })).map((attempt) => attempt.outcome)).toEqual(['interrupted']);
    expect(harness.worker.pendingTimers).toBe(0);
  });

  it('releases a run whose handler ignores the abort, so another worker can claim it at once', async () => {
    const never = deferred();
    const job = defineJob({ name: 'stubborn', run: () => never.promise });
    harness = createHarness({ jobs: [job] });
    const runId = await harness.client.enqueue(job);
    await harness.worker.runOnce();
    await harness.worker.stop({ graceMs: 10, abortWaitMs: 10 });
    const run = await harness.run(runId);
    expect(run.status).toBe('pending');
    expect(run.lastError?.name).toBe('ShutdownError');
    const claimed = await harness.store.runClaim({ workerName: 'next', limit: 1, leaseDurationMs: 30_000, jobNames: ['stubborn'] });
    expect(claimed.map((entry) => entry.run.runId)).toEqual([runId]);
    expect(harness.worker.pendingTimers).toBe(0);
    never.resolve(); // the abandoned handler returning late changes nothing
    await new Promise((resolve) => setImmediate(resolve));
    expect((await harness.run(runId)).leaseOwner).toBe('next');
  });

  it('a handler that returns after the abort still succeeds', async () => {
    const job = defineJob({
      name: 'returns-on-abort',
      run: (_payload, ctx) => new Promise<void>((resolve) => ctx.signal.addEventListener('abort', () => resolve())),
    });
    harness = createHarness({ jobs: [job] });
    const runId = await harness.client.enqueue(job);
    await harness.worker.runOnce();
    await harness.worker.stop({ graceMs: 10 });
    expect((await harness.run(runId)).status).toBe('succeeded');
  });

  it('flushes buffered log lines and deregisters the worker', async () => {
    const job = defineJob({ name: 'logs', run: (_payload, ctx) => ctx.log('last words') });
    harness = createHarness({ jobs: [job], options: { logs: { flushIntervalSeconds: 3600 } } });
    const runId = await harness.client.enqueue(job);
    await harness.worker.start();
    expect((await harness.store.workerList({ seenWithinMs: 60_000 })).map((worker) => worker.workerName)).toEqual(['worker-1']);
    expect(harness.events.find((event) => event.type === 'worker_heartbeat')).toMatchObject({ workerName: 'worker-1' });
    for (let wait = 0; wait < 200 && (await harness.run(runId)).status !== 'succeeded'; wait += 1) {
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    await harness.worker.stop({ graceMs: 100 });
    expect((await harness.store.runLogList({ runId })).map((line) => line.message)).toEqual(['last words']);
    expect(await harness.store.workerList({ seenWithinMs: 60_000 })).toEqual([]);
    expect(harness.worker.pendingTimers).toBe(0);
  });

  it('refuses to run after stop, and stop twice is the same stop', async () => {
    const job = defineJob({ name: 'x', run: () => {} });
    harness = createHarness({ jobs: [job] });
    await harness.worker.start();
    const a = harness.worker.stop({ graceMs: 10 });
    const b = harness.worker.stop({ graceMs: 10 });
    expect(a).toBe(b);
    await a;
    await expect(harness.worker.runOnce()).rejects.toThrow(/stopped/);
    await expect(harness.worker.start()).rejects.toThrow(/stopped/);
  });

  it('leaves no timers or handles behind after start/stop', async () => {
    const before = process.getActiveResourcesInfo().filter((kind) => kind === 'Timeout').length;
    const job = defineJob({ name: 'x', timeoutSeconds: 60, run: () => {} });
    harness = createHarness({ jobs: [job] });
    await harness.client.enqueue(job);
    await harness.worker.start();
    await new Promise((resolve) => setTimeout(resolve, 20));
    await harness.worker.stop({ graceMs: 100 });
    await new Promise((resolve) => setImmediate(resolve));
    const after = process.getActiveResourcesInfo().filter((kind) => kind === 'Timeout').length;
    expect(after).toBeLessThanOrEqual(before);
    expect(harness.worker.pendingTimers).toBe(0);
  });
});
