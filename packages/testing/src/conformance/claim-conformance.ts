import { describe, expect, it } from 'vitest';
import {
  at,
  claimOne,
  getRun,
  insertRun,
  jobA,
  jobB,
  leaseMs,
  ms,
  newRun,
  useConformanceStore,
  workerA,
} from './conformance-fixtures.js';
import type { StoreConformanceHarness } from './store-conformance-harness.js';

/** Registers the conformance tests of the claim area. */
export function describeClaimConformance(harness: StoreConformanceHarness): void {
  describe(`store conformance: ${harness.name} › claim`, () => {
    const current = useConformanceStore(harness);
    const claim = (limit = 10, extra: { jobNames?: string[]; queues?: string[] } = {}) =>
      current().store.runClaim({ workerName: workerA, limit, leaseDurationMs: leaseMs, jobNames: [jobA, jobB], ...extra });

    it('hands out a stored payload without `__proto__` keys, however the row was written', async () => {
      const { store } = current();
      await insertRun(store, { payloadJson: '{"a":1,"__proto__":{"polluted":true},"b":{"\\u005f_proto__":{"x":1}}}' });
      const [claimed] = await claim();
      const payload = claimed!.run.payload as Record<string, unknown>;
      expect(Object.hasOwn(payload, '__proto__')).toBe(false);
      expect(Object.hasOwn(payload.b as object, '__proto__')).toBe(false);
      expect(payload.a).toBe(1);
    });

    it('leases a due run: owner, leaseExpiresAt = now + lease, startedAt = now, attempt + 1', async () => {
      const { store, clock } = current();
      const runId = await insertRun(store);
      clock.advance(1_000);
      const claimed = await claim();
      expect(claimed).toHaveLength(1);
      const { run, leaseExpiresAt } = claimed[0]!;
      expect(run.runId).toBe(runId);
      expect(run.status).toBe('leased');
      expect(run.attempt).toBe(1);
      expect(run.leaseOwner).toBe(workerA);
      expect(ms(leaseExpiresAt)).toBe(at(1_000 + leaseMs));
      expect(ms(run.leaseExpiresAt)).toBe(at(1_000 + leaseMs));
      expect(ms(run.startedAt)).toBe(at(1_000));
      const stored = await getRun(store, runId);
      expect(stored.status).toBe('leased');
      expect(stored.attempt).toBe(1);
      expect(ms(stored.leaseExpiresAt)).toBe(at(1_000 + leaseMs));
    });

    it('claims only due runs', async () => {
      const { store } = current();
      const due = await insertRun(store);
      await insertRun(store, { runAt: new Date(at(1)) });
      const claimed = await claim();
      expect(claimed.map((entry) => entry.run.runId)).toEqual([due]);
    });

    it('never claims a run twice: a leased run is not claimable', async () => {
      const { store } = current();
      await insertRun(store);
      expect(await claim()).toHaveLength(1);
      expect(await claim()).toHaveLength(0);
      expect((await store.runCountByStatus({})).leased).toBe(1);
    });

    it('orders by priority (higher first), then runAt (earlier first)', async () => {
      const { store, clock } = current();
      const lowEarly = await insertRun(store, { priority: 0, runAt: new Date(at(-3_000)) });
      const highLate = await insertRun(store, { priority: 5, runAt: new Date(at(-1_000)) });
      const highEarly = await insertRun(store, { priority: 5, runAt: new Date(at(-2_000)) });
      const lowLate = await insertRun(store, { priority: 0, runAt: new Date(at(-500)) });
      const negative = await insertRun(store, { priority: -1, runAt: new Date(at(-9_000)) });
      clock.advance(1);
      const order: string[] = [];
      for (let index = 0; index < 5; index++) order.push((await claimOne(store)).run.runId);
      expect(order).toEqual([highEarly, highLate, lowEarly, lowLate, negative]);
    });

    it('returns the claimed batch in claim order', async () => {
      const { store } = current();
      const second = await insertRun(store, { runAt: new Date(at(-1_000)) });
      const first = await insertRun(store, { priority: 1 });
      const third = await insertRun(store, { runAt: new Date(at(-500)) });
      const claimed = await claim(3);
      expect(claimed.map((entry) => entry.run.runId)).toEqual([first, second, third]);
    });

    it('honours the limit', async () => {
      const { store } = current();
      await store.runInsertMany({ runs: Array.from({ length: 7 }, () => newRun()) });
      expect(await claim(3)).toHaveLength(3);
      expect(await claim(3)).toHaveLength(3);
      expect(await claim(3)).toHaveLength(1);
    });

    it('claims only runs of the given jobNames; an empty list claims nothing', async () => {
      const { store } = current();
      const runB = await insertRun(store, { jobName: jobB });
      await insertRun(store, { jobName: 'conformance.unhandled' });
      expect(await claim(10, { jobNames: [] })).toEqual([]);
      const claimed = await claim(10, { jobNames: [jobB] });
      expect(claimed.map((entry) => entry.run.runId)).toEqual([runB]);
      expect((await store.runCountByStatus({ jobName: 'conformance.unhandled' })).pending).toBe(1);
    });

    it('claims only runs in the given queues; all queues when absent', async () => {
      const { store } = current();
      const mail = await insertRun(store, { queue: 'mail', runAt: new Date(at(-2)) });
      const reports = await insertRun(store, { queue: 'reports', runAt: new Date(at(-1)) });
      const claimedMail = await claim(10, { queues: ['mail', 'other'] });
      expect(claimedMail.map((entry) => entry.run.runId)).toEqual([mail]);
      const claimedAll = await claim(10);
      expect(claimedAll.map((entry) => entry.run.runId)).toEqual([reports]);
    });

    it('claims waiting_retry runs once due, and increments the attempt again', async () => {
      const { store, clock } = current();
      const runId = await insertRun(store);
      const first = await claimOne(store);
      await store.runFinishMany({
        finishes: [{ runId, workerName: workerA, attempt: first.run.attempt, outcome: { type: 'retry', delayMs: 5_000, error: { name: 'Error', message: 'boom' } } }],
      });
      expect(await claim()).toEqual([]);
      clock.advance(5_000);
      const second = await claimOne(store, { workerName: 'worker-b' });
      expect(second.run.runId).toBe(runId);
      expect(second.run.attempt).toBe(2);
      expect(second.run.leaseOwner).toBe('worker-b');
    });

    it('clears the previous attempt progress on claim', async () => {
      const { store } = current();
      const runId = await insertRun(store);
      const first = await claimOne(store);
      await store.runProgressSet({ updates: [{ runId, workerName: workerA, attempt: first.run.attempt, percent: 40, message: 'half' }] });
      await store.runFinishMany({ finishes: [{ runId, workerName: workerA, attempt: 1, outcome: { type: 'interrupted' } }] });
      const second = await claimOne(store);
      expect(second.run.progressPercent).toBeNull();
      expect(second.run.progressMessage).toBeNull();
    });

    it('returns the run payload and metadata with the claim', async () => {
      const { store } = current();
      await insertRun(store, { payloadJson: '{"to":"a@example.com"}', metadata: { traceparent: 't' } });
      const { run } = await claimOne(store);
      expect(run.payload).toEqual({ to: 'a@example.com' });
      expect(run.metadata).toEqual({ traceparent: 't' });
    });
  });
}
