import { describe, expect, it } from 'vitest';
import { at, claimOne, getRun, insertAndClaim, insertRun, leaseMs, ms, useConformanceStore, workerA, workerB } from './conformance-fixtures.js';
import type { StoreConformanceHarness } from './store-conformance-harness.js';

/** Registers the conformance tests of the lease area. */
export function describeLeaseConformance(harness: StoreConformanceHarness): void {
  describe(`store conformance: ${harness.name} › lease`, () => {
    const current = useConformanceStore(harness);

    it('extends the leases of a worker to now + leaseDurationMs', async () => {
      const { store, clock } = current();
      const one = await insertAndClaim(store);
      const two = await insertAndClaim(store);
      clock.advance(10_000);
      const result = await store.leaseExtend({
        workerName: workerA,
        attempts: [{ runId: one.run.runId, attempt: 1 }, { runId: two.run.runId, attempt: 1 }],
        leaseDurationMs: 45_000,
      });
      expect(new Set(result.extended)).toEqual(new Set([one.run.runId, two.run.runId]));
      expect(result.lost).toEqual([]);
      expect(result.cancelRequested).toEqual([]);
      expect(ms(result.leaseExpiresAt)).toBe(at(55_000));
      expect(ms((await getRun(store, one.run.runId)).leaseExpiresAt)).toBe(at(55_000));
      expect(ms((await getRun(store, two.run.runId)).leaseExpiresAt)).toBe(at(55_000));
    });

    it("reports lost leases and leaves other workers' runs alone", async () => {
      const { store } = current();
      const mine = await insertAndClaim(store);
      const theirs = await insertAndClaim(store, {}, workerB);
      const finished = await insertAndClaim(store);
      await store.runFinishMany({ finishes: [{ runId: finished.run.runId, workerName: workerA, attempt: 1, outcome: { type: 'succeeded' } }] });
      const result = await store.leaseExtend({
        workerName: workerA,
        attempts: [
          { runId: mine.run.runId, attempt: 1 },
          { runId: theirs.run.runId, attempt: 1 },
          { runId: finished.run.runId, attempt: 1 },
          { runId: mine.run.runId, attempt: 7 },
          { runId: '00000000-0000-4000-8000-000000000000', attempt: 1 },
        ],
        leaseDurationMs: 99_000,
      });
      expect(result.extended).toEqual([mine.run.runId]);
      expect(new Set(result.lost)).toEqual(new Set([theirs.run.runId, finished.run.runId, mine.run.runId, '00000000-0000-4000-8000-000000000000']));
      expect(ms((await getRun(store, theirs.run.runId)).leaseExpiresAt)).toBe(at(leaseMs));
      expect((await getRun(store, finished.run.runId)).leaseExpiresAt).toBeNull();
    });

    it('extends nothing for an empty attempt list', async () => {
      const { store } = current();
      const result = await store.leaseExtend({ workerName: workerA, attempts: [], leaseDurationMs: leaseMs });
      expect(result).toMatchObject({ extended: [], lost: [], cancelRequested: [] });
      expect(ms(result.leaseExpiresAt)).toBe(at(leaseMs));
    });

    it('reports cancellation requests among the extended leases', async () => {
      const { store } = current();
      const claimed = await insertAndClaim(store);
      await store.runCancel({ runId: claimed.run.runId });
      const result = await store.leaseExtend({ workerName: workerA, attempts: [{ runId: claimed.run.runId, attempt: 1 }], leaseDurationMs: leaseMs });
      expect(result.extended).toEqual([claimed.run.runId]);
      expect(result.cancelRequested).toEqual([claimed.run.runId]);
    });

    it('extends an expired lease that was not reaped yet (nobody else can own it)', async () => {
      const { store, clock } = current();
      const claimed = await insertAndClaim(store);
      clock.advance(leaseMs + 5_000);
      const result = await store.leaseExtend({ workerName: workerA, attempts: [{ runId: claimed.run.runId, attempt: 1 }], leaseDurationMs: leaseMs });
      expect(result.extended).toEqual([claimed.run.runId]);
      expect(await store.leaseReapExpired({ limit: 10 })).toEqual([]);
    });

    it('does not claim a run whose lease expired until it is reaped', async () => {
      const { store, clock } = current();
      await insertAndClaim(store);
      clock.advance(leaseMs * 2);
      const claim = () => store.runClaim({ workerName: workerB, limit: 5, leaseDurationMs: leaseMs, jobNames: ['conformance.job-a'] });
      expect(await claim()).toEqual([]);
      await store.leaseReapExpired({ limit: 10 });
      expect(await claim()).toHaveLength(1);
    });

    it('reaps nothing before expiry and reaps at leaseExpiresAt', async () => {
      const { store, clock } = current();
      const claimed = await insertAndClaim(store);
      clock.advance(leaseMs - 1);
      expect(await store.leaseReapExpired({ limit: 10 })).toEqual([]);
      clock.advance(1);
      const reaped = await store.leaseReapExpired({ limit: 10 });
      expect(reaped).toEqual([{ runId: claimed.run.runId, jobName: claimed.run.jobName, attempt: 1, workerName: workerA, status: 'pending' }]);
    });

    it('makes a reaped run with attempts left pending and due now, recording lease_expired', async () => {
      const { store, clock } = current();
      const claimed = await insertAndClaim(store);
      clock.advance(leaseMs + 1_000);
      await store.leaseReapExpired({ limit: 10 });
      const run = await getRun(store, claimed.run.runId);
      expect(run).toMatchObject({ status: 'pending', attempt: 1, leaseOwner: null, leaseExpiresAt: null, finishedAt: null });
      expect(run.lastError?.name).toBe('LeaseExpiredError');
      expect(ms(run.runAt)).toBe(at(leaseMs + 1_000));
      const attempts = await store.attemptList({ runId: run.runId });
      expect(attempts).toHaveLength(1);
      expect(attempts[0]).toMatchObject({ attempt: 1, workerName: workerA, outcome: 'lease_expired' });
      expect(ms(attempts[0]!.startedAt)).toBe(at(0));
      expect(ms(attempts[0]!.finishedAt)).toBe(at(leaseMs + 1_000));
      const again = await claimOne(store, { workerName: workerB });
      expect(again.run.attempt).toBe(2);
    });

    it('fails a poison pill after maxAttempts claims', async () => {
      const { store, clock } = current();
      const runId = await insertRun(store, { maxAttempts: 2 });
      await claimOne(store);
      clock.advance(leaseMs);
      expect((await store.leaseReapExpired({ limit: 10 }))[0]?.status).toBe('pending');
      await claimOne(store);
      clock.advance(leaseMs);
      const reaped = await store.leaseReapExpired({ limit: 10 });
      expect(reaped).toEqual([{ runId, jobName: 'conformance.job-a', attempt: 2, workerName: workerA, status: 'failed' }]);
      const run = await getRun(store, runId);
      expect(run.status).toBe('failed');
      expect(ms(run.finishedAt)).toBe(at(2 * leaseMs));
      expect(run.lastError?.name).toBe('LeaseExpiredError');
      expect((await store.attemptList({ runId })).map((attempt) => attempt.outcome)).toEqual(['lease_expired', 'lease_expired']);
      expect(await store.runClaim({ workerName: workerA, limit: 10, leaseDurationMs: leaseMs, jobNames: ['conformance.job-a'] })).toEqual([]);
    });

    it('cancels a reaped run whose cancellation was requested', async () => {
      const { store, clock } = current();
      const claimed = await insertAndClaim(store);
      await store.runCancel({ runId: claimed.run.runId });
      clock.advance(leaseMs);
      expect((await store.leaseReapExpired({ limit: 10 }))[0]?.status).toBe('cancelled');
      const run = await getRun(store, claimed.run.runId);
      expect(run.status).toBe('cancelled');
      expect(ms(run.finishedAt)).toBe(at(leaseMs));
    });

    it('reaps at most limit runs, earliest expiry first', async () => {
      const { store, clock } = current();
      const first = await insertAndClaim(store);
      clock.advance(1_000);
      const second = await insertAndClaim(store);
      clock.advance(1_000);
      await insertAndClaim(store);
      clock.advance(leaseMs + 5_000);
      expect((await store.leaseReapExpired({ limit: 2 })).map((reaped) => reaped.runId)).toEqual([first.run.runId, second.run.runId]);
      expect(await store.leaseReapExpired({ limit: 2 })).toHaveLength(1);
      expect(await store.leaseReapExpired({ limit: 2 })).toEqual([]);
    });

    it('loses the lease of a reaped attempt: extension reports it lost', async () => {
      const { store, clock } = current();
      const claimed = await insertAndClaim(store);
      clock.advance(leaseMs);
      await store.leaseReapExpired({ limit: 10 });
      const result = await store.leaseExtend({ workerName: workerA, attempts: [{ runId: claimed.run.runId, attempt: 1 }], leaseDurationMs: leaseMs });
      expect(result.extended).toEqual([]);
      expect(result.lost).toEqual([claimed.run.runId]);
    });
  });
}
