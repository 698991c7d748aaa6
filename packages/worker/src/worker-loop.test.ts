import {
  createMemoryStore,
  defineJob,
  StoreUnavailableError,
  systemClock,
  type DurablyStore,
  type FakeClock,
} from '@durably/core';
import { afterEach, describe, expect, it } from 'vitest';
import { createHarness, stopAndCheck, type Harness } from './test-support/harness.js';

let harness: Harness | undefined;
afterEach(async () => {
  if (harness && harness.worker.state !== 'stopped') await stopAndCheck(harness.worker, 500);
  harness = undefined;
});

const realClock: FakeClock = { now: () => new Date(), advance: () => new Date(), set: () => new Date() };

async function waitUntil(condition: () => Promise<boolean>, timeoutMs = 5_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** Makes the named store methods fail `times` times with a transient error, then work again. */
function failing(store: DurablyStore, methods: (keyof DurablyStore)[], times: number) {
  const state = { failures: 0 };
  const wrapped = Object.create(store) as DurablyStore;
  for (const method of methods) {
    const original = (store[method] as (...args: unknown[]) => Promise<unknown>).bind(store);
    let left = times;
    (wrapped as unknown as Record<string, unknown>)[method] = (...args: unknown[]) => {
      if (left > 0) {
        left -= 1;
        state.failures += 1;
        return Promise.reject(new StoreUnavailableError('connection reset (injected)'));
      }
      return original(...args);
    };
  }
  return { wrapped, state };
}

describe('the running loop', () => {
  it('wakes at once on a store work notification instead of waiting for the poll interval', async () => {
    const job = defineJob({ name: 'wake', run: () => {} });
    harness = createHarness({
      jobs: [job],
      clock: realClock,
      store: createMemoryStore({ clock: systemClock }),
      options: { pollIntervalSeconds: 3600 },
    });
    await harness.worker.start();
    await new Promise((resolve) => setTimeout(resolve, 20)); // the first poll is over; next one in an hour
    const started = Date.now();
    const runId = await harness.client.enqueue(job);
    await waitUntil(async () => (await harness!.run(runId)).status === 'succeeded');
    expect(Date.now() - started).toBeLessThan(1_000);
  });

  it('a woken iteration claims before it queries schedules or expired leases', async () => {
    const job = defineJob({ name: 'wake-first', run: () => {} });
    const calls: string[] = [];
    harness = createHarness({
      jobs: [job],
      options: { pollIntervalSeconds: 3600 },
      wrapStore: (store) => {
        const recording = Object.create(store) as DurablyStore;
        for (const method of ['runClaim', 'scheduleListDue', 'leaseReapExpired'] as const) {
          const original = (store[method] as (...args: unknown[]) => Promise<unknown>).bind(store);
          (recording as unknown as Record<string, unknown>)[method] = (...args: unknown[]) => {
            calls.push(method);
            return original(...args);
          };
        }
        return recording;
      },
    });
    await harness.worker.start();
    await new Promise((resolve) => setTimeout(resolve, 20)); // the first poll is over; next one in an hour
    expect(calls).toEqual(['scheduleListDue', 'leaseReapExpired', 'runClaim']); // a poll: slots and leases first
    calls.length = 0;
    harness.clock.advance(60_000); // both the schedule query and the reaper are due again
    const runId = await harness.client.enqueue(job);
    await waitUntil(async () => (await harness!.run(runId)).status === 'succeeded');
    expect(calls.slice(0, 3)).toEqual(['runClaim', 'scheduleListDue', 'leaseReapExpired']);
  });

  it('polls on its interval when the store has no notifications', async () => {
    const job = defineJob({ name: 'poll', run: () => {} });
    const memory = createMemoryStore({ clock: systemClock });
    const silent = Object.create(memory) as DurablyStore;
    Object.defineProperty(silent, 'subscribeWork', { value: undefined });
    harness = createHarness({
      jobs: [job],
      clock: realClock,
      store: silent,
      options: { pollIntervalSeconds: 0.05 },
    });
    await harness.worker.start();
    const runId = await harness.client.enqueue(job);
    await waitUntil(async () => (await harness!.run(runId)).status === 'succeeded');
  });

  it('keeps claiming while claims come back full, beyond one batch', async () => {
    const job = defineJob<number>({ name: 'many', run: () => {} });
    harness = createHarness({
      jobs: [job],
      clock: realClock,
      store: createMemoryStore({ clock: systemClock }),
      options: { pollIntervalSeconds: 3600, batchSize: 5, maxConcurrentRuns: 5 },
    });
    await harness.client.enqueueMany(
      job,
      Array.from({ length: 40 }, (_, index) => index),
    );
    await harness.worker.start();
    await waitUntil(async () => (await harness!.store.runCountByStatus({})).succeeded === 40);
  });

  it('survives store failures during claim, finish and heartbeat; no run is lost', async () => {
    const job = defineJob<number>({ name: 'resilient', run: () => {} });
    const memory = createMemoryStore({ clock: systemClock });
    const { wrapped, state } = failing(
      memory,
      ['runClaim', 'runFinishMany', 'leaseExtend', 'scheduleListDue'],
      3,
    );
    harness = createHarness({
      jobs: [job],
      clock: realClock,
      store: wrapped,
      options: { pollIntervalSeconds: 0.05 },
    });
    await harness.client.enqueueMany(job, [1, 2, 3, 4, 5]);
    await harness.worker.start();
    await harness.worker.heartbeatOnce();
    await waitUntil(async () => (await memory.runCountByStatus({})).succeeded === 5, 15_000);
    expect(state.failures).toBeGreaterThanOrEqual(9);
    expect(harness.errorLogs().length).toBeGreaterThan(0);
  }, 20_000);

  it('a finish that fails is retried until it is written', async () => {
    const job = defineJob({ name: 'finish-retry', run: () => {} });
    const memory = createMemoryStore({ clock: systemClock });
    const { wrapped, state } = failing(memory, ['runFinishMany'], 2);
    harness = createHarness({ jobs: [job], clock: realClock, store: wrapped });
    const runId = await harness.client.enqueue(job);
    await harness.worker.runOnce();
    await harness.worker.whenIdle();
    expect(state.failures).toBe(2);
    expect((await memory.runGet({ runId }))?.status).toBe('succeeded');
  });

  it('heartbeats keep their cadence while a claim hangs (no starvation)', async () => {
    const release = { resolve: () => {} };
    const job = defineJob<number>({
      name: 'held',
      run: () => new Promise<void>((resolve) => (release.resolve = resolve)),
    });
    const memory = createMemoryStore({ clock: systemClock });
    const slow = Object.create(memory) as DurablyStore;
    let claims = 0;
    let extensions = 0;
    let unblockClaim = () => {};
    slow.runClaim = (params) => {
      claims += 1;
      if (claims === 1) return memory.runClaim(params);
      // Every later claim hangs until the test lets it go (a slow or locked database).
      return new Promise((resolve) => (unblockClaim = () => resolve(memory.runClaim(params))));
    };
    slow.leaseExtend = (params) => {
      extensions += 1;
      return memory.leaseExtend(params);
    };
    harness = createHarness({
      jobs: [job],
      clock: realClock,
      store: slow,
      options: { leaseDurationSeconds: 0.5, pollIntervalSeconds: 0.01, pollJitterEnabled: false },
    });
    const runId = await harness.client.enqueue(job, 1);
    await harness.worker.start();
    await waitUntil(async () => claims >= 2); // the second claim is now stuck
    const before = extensions;
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    expect(extensions - before).toBeGreaterThanOrEqual(3); // every 250 ms despite the stuck claim
    expect((await memory.runGet({ runId }))?.leaseOwner).toBe('worker-1');
    release.resolve();
    unblockClaim();
    await waitUntil(async () => (await memory.runGet({ runId }))?.status === 'succeeded');
  });

  it('stop() does not wait forever for a hung claim, and releases runs a late claim returns', async () => {
    const job = defineJob<number>({ name: 'late', run: () => {} });
    const memory = createMemoryStore({ clock: systemClock });
    const hung = Object.create(memory) as DurablyStore;
    let unblockClaim: (() => void) | undefined;
    hung.runClaim = (params) =>
      new Promise((resolve) => (unblockClaim = () => resolve(memory.runClaim(params))));
    harness = createHarness({
      jobs: [job],
      clock: realClock,
      store: hung,
      options: { pollIntervalSeconds: 3600 },
    });
    const runId = await harness.client.enqueue(job, 1);
    await harness.worker.start();
    await waitUntil(async () => unblockClaim !== undefined);
    const stopping = harness.worker.stop({ graceMs: 300 });
    setTimeout(() => unblockClaim!(), 50); // the claim answers while shutdown waits for it
    const started = Date.now();
    await stopping;
    expect(Date.now() - started).toBeLessThan(2_000);
    const run = await memory.runGet({ runId });
    expect([run?.status, run?.attempt, run?.leaseOwner]).toEqual(['pending', 1, null]);
    expect((await memory.attemptList({ runId })).map((attempt) => attempt.outcome)).toEqual(['interrupted']);
    expect(harness.worker.pendingTimers).toBe(0);
  });

  it('stop() returns within its grace period even if a claim never answers', async () => {
    const job = defineJob<number>({ name: 'never', run: () => {} });
    const memory = createMemoryStore({ clock: systemClock });
    const hung = Object.create(memory) as DurablyStore;
    let claimed = false;
    hung.runClaim = () => {
      claimed = true;
      return new Promise(() => {});
    };
    harness = createHarness({
      jobs: [job],
      clock: realClock,
      store: hung,
      options: { pollIntervalSeconds: 3600 },
    });
    await harness.client.enqueue(job, 1);
    await harness.worker.start();
    await waitUntil(async () => claimed);
    const started = Date.now();
    await harness.worker.stop({ graceMs: 100 });
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(harness.worker.state).toBe('stopped');
    expect(harness.worker.pendingTimers).toBe(0);
  });
});
