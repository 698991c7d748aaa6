import { defineJob } from '@durably/core';
import { afterEach, describe, expect, it } from 'vitest';
import { AttemptAbortedError } from './attempt-aborted-error.js';
import { createWorker } from './create-worker.js';
import { createHarness, createRecordingLogger, deferred, stopAndCheck, type Harness, type LogRecord } from './test-support/harness.js';

let harness: Harness | undefined;
const extraWorkers: { stop(o: { graceMs: number }): Promise<void> }[] = [];
afterEach(async () => {
  for (const worker of extraWorkers.splice(0)) await worker.stop({ graceMs: 100 });
  if (harness) await stopAndCheck(harness.worker, 100);
  harness = undefined;
});

const leaseMs = 30_000;

describe('leases', () => {
  it('heartbeats extend the lease of every active attempt in one call', async () => {
    const release = deferred();
    const job = defineJob<number>({ name: 'long', run: () => release.promise });
    harness = createHarness({ jobs: [job] });
    const calls: number[] = [];
    const extend = harness.store.leaseExtend.bind(harness.store);
    harness.store.leaseExtend = (params) => {
      calls.push(params.attempts.length);
      return extend(params);
    };
    const [a, b] = await harness.client.enqueueMany(job, [1, 2]);
    await harness.worker.runOnce();
    harness.clock.advance(20_000);
    await harness.worker.heartbeatOnce();
    expect(calls).toEqual([2]);
    expect((await harness.run(a!.runId)).leaseExpiresAt?.toISOString()).toBe('2026-01-01T00:00:50.000Z');
    harness.clock.advance(20_000); // past the first lease, within the extended one
    expect(await harness.store.leaseReapExpired({ limit: 10 })).toEqual([]);
    release.resolve();
    await harness.worker.whenIdle();
    expect((await harness.run(b!.runId)).status).toBe('succeeded');
  });

  it('a lost lease aborts the attempt signal, emits lease_lost and writes no ending', async () => {
    const reasons: unknown[] = [];
    const job = defineJob({
      name: 'stalled',
      run: (_payload, ctx) =>
        new Promise<void>((resolve) => ctx.signal.addEventListener('abort', () => {
          reasons.push(ctx.signal.reason);
          resolve(); // returns "successfully": must not be recorded
        })),
    });
    harness = createHarness({ jobs: [job] });
    const runId = await harness.client.enqueue(job);
    await harness.worker.runOnce();
    // The worker stalls past its lease; the store hands the run to someone else.
    harness.clock.advance(leaseMs + 1);
    const reaped = await harness.store.leaseReapExpired({ limit: 10 });
    expect(reaped.map((run) => run.status)).toEqual(['pending']);
    const other = await harness.store.runClaim({ workerName: 'worker-2', limit: 1, leaseDurationMs: leaseMs, jobNames: ['stalled'] });
    expect(other[0]?.run.attempt).toBe(2);

    await harness.worker.heartbeatOnce();
    await harness.worker.whenIdle();
    expect(AttemptAbortedError.is(reasons[0], 'lease_lost')).toBe(true);
    expect(harness.eventTypes(runId)).toEqual(['job_claimed', 'job_started', 'lease_lost']);
    const run = await harness.run(runId);
    expect(run.status).toBe('leased');
    expect(run.leaseOwner).toBe('worker-2');
  });

  it('a zombie finish is fenced: it changes nothing and is not retried', async () => {
    const release = deferred();
    const job = defineJob({ name: 'zombie', run: () => release.promise });
    harness = createHarness({ jobs: [job] });
    const runId = await harness.client.enqueue(job);
    let finishCalls = 0;
    const finish = harness.store.runFinishMany.bind(harness.store);
    harness.store.runFinishMany = (params) => {
      finishCalls += 1;
      return finish(params);
    };
    await harness.worker.runOnce();
    // No heartbeat ran (the event loop "stalled"), so the worker does not know it lost the lease.
    harness.clock.advance(leaseMs + 1);
    await harness.store.leaseReapExpired({ limit: 10 });
    await harness.store.runClaim({ workerName: 'worker-2', limit: 1, leaseDurationMs: leaseMs, jobNames: ['zombie'] });
    const before = await harness.run(runId);

    release.resolve();
    await harness.worker.whenIdle();
    await harness.worker.flush();

    expect(finishCalls).toBe(1);
    const after = await harness.run(runId);
    expect(after).toEqual(before);
    expect(harness.eventTypes(runId)).toEqual(['job_claimed', 'job_started', 'lease_lost']);
    expect(harness.events.find((event) => event.type === 'lease_lost')).toMatchObject({ reason: 'fenced' });
    expect(harness.logs.some((record) => record.message.includes('rejected by the lease fence'))).toBe(true);
  });

  it('a poison pill (its worker dies every time) ends failed after maxAttempts claims', async () => {
    // This worker only reaps: it does not define the job, so it never claims the run itself.
    harness = createHarness({ jobs: [defineJob({ name: 'other', run: () => {} })] });
    const [inserted] = await harness.store.runInsertMany({
      runs: [{
        jobName: 'poison', payloadJson: 'null', queue: 'default', priority: 0, maxAttempts: 3,
        runAt: null, key: null, keyConflict: 'keep-existing', origin: 'enqueue', metadata: {},
      }],
    });
    const runId = inserted!.runId;
    for (let crash = 1; crash <= 3; crash += 1) {
      // A worker claims it and dies (never heartbeats, never finishes).
      const [claimed] = await harness.store.runClaim({ workerName: `doomed-${crash}`, limit: 1, leaseDurationMs: leaseMs, jobNames: ['poison'] });
      expect(claimed?.run.attempt).toBe(crash);
      harness.clock.advance(leaseMs + 1);
      await harness.worker.runOnce(); // reaps the expired lease
      expect((await harness.run(runId)).status).toBe(crash < 3 ? 'pending' : 'failed');
    }
    expect(await harness.store.runClaim({ workerName: 'doomed-4', limit: 1, leaseDurationMs: leaseMs, jobNames: ['poison'] })).toEqual([]);
    const run = await harness.run(runId);
    expect(run.attempt).toBe(3);
    const attempts = await harness.store.attemptList({ runId });
    expect(attempts.map((attempt) => attempt.outcome)).toEqual(['lease_expired', 'lease_expired', 'lease_expired']);
    const failed = harness.events.filter((event) => event.type === 'job_failed');
    expect(failed).toHaveLength(1);
    expect(failed[0]).toMatchObject({ terminal: true, workerName: 'doomed-3' });
  });

  it('a crashed worker\'s run is reclaimed by another worker after lease expiry and succeeds once', async () => {
    let calls = 0;
    const job = defineJob({ name: 'recover', run: () => void (calls += 1) });
    harness = createHarness({ jobs: [job] });
    const runId = await harness.client.enqueue(job);
    await harness.store.runClaim({ workerName: 'crashed', limit: 1, leaseDurationMs: leaseMs, jobNames: ['recover'] });
    await harness.worker.drain();
    expect(calls).toBe(0); // the lease is still valid
    harness.clock.advance(leaseMs);
    await harness.worker.drain();
    expect(calls).toBe(1);
    const run = await harness.run(runId);
    expect(run.status).toBe('succeeded');
    expect(run.attempt).toBe(2);
  });

  it('reaps at most once per heartbeat interval on the worker clock', async () => {
    const job = defineJob({ name: 'r', run: () => {} });
    harness = createHarness({ jobs: [job] });
    let reaps = 0;
    const reap = harness.store.leaseReapExpired.bind(harness.store);
    harness.store.leaseReapExpired = (params) => {
      reaps += 1;
      return reap(params);
    };
    await harness.worker.runOnce();
    await harness.worker.runOnce();
    harness.clock.advance(14_999);
    await harness.worker.runOnce();
    expect(reaps).toBe(1);
    harness.clock.advance(1);
    await harness.worker.runOnce();
    expect(reaps).toBe(2);
  });

  it('two workers never run the same run twice', async () => {
    const runsBy = new Map<string, string[]>();
    const job = defineJob<number>({
      name: 'shared',
      run: async (_payload, ctx) => {
        runsBy.set(ctx.runId, [...(runsBy.get(ctx.runId) ?? []), 'x']);
        await new Promise((resolve) => setImmediate(resolve));
      },
    });
    harness = createHarness({ jobs: [job], options: { maxConcurrentRuns: 4, batchSize: 3 } });
    const logs: LogRecord[] = [];
    const second = createWorker({
      store: harness.store, registry: harness.registry, clock: harness.clock, logger: createRecordingLogger(logs),
      options: { ...harness.options, workerName: 'worker-2' },
    });
    extraWorkers.push(second);
    await harness.client.enqueueMany(job, Array.from({ length: 40 }, (_, index) => index));
    const [a, b] = await Promise.all([harness.worker.drain(), second.drain()]);
    expect(a.runs + b.runs).toBe(40);
    expect(a.runs).toBeGreaterThan(0);
    expect(b.runs).toBeGreaterThan(0);
    expect(runsBy.size).toBe(40);
    expect([...runsBy.values()].every((list) => list.length === 1)).toBe(true);
  });
});
