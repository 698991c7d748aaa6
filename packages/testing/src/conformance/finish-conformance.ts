import type { ClaimedRun, DurablyStore, FinishOutcome } from '@durably/core';
import { describe, expect, it } from 'vitest';
import { at, getRun, insertAndClaim, ms, useConformanceStore, workerA, workerB } from './conformance-fixtures.js';
import type { StoreConformanceHarness } from './store-conformance-harness.js';

const boom = { name: 'Error', message: 'boom', stack: 'Error: boom\n    at handler' };

async function finish(store: DurablyStore, claimed: ClaimedRun, outcome: FinishOutcome, workerName = workerA) {
  const [result] = await store.runFinishMany({
    finishes: [{ runId: claimed.run.runId, workerName, attempt: claimed.run.attempt, outcome }],
  });
  return result!;
}

/** Registers the conformance tests of the finish (including fencing) area. */
export function describeFinishConformance(harness: StoreConformanceHarness): void {
  describe(`store conformance: ${harness.name} › finish`, () => {
    const current = useConformanceStore(harness);

    it('succeeded: run succeeded, finishedAt = now, lease cleared, attempt recorded', async () => {
      const { store, clock } = current();
      const claimed = await insertAndClaim(store);
      clock.advance(2_500);
      expect(await finish(store, claimed, { type: 'succeeded' })).toEqual({ runId: claimed.run.runId, applied: true, status: 'succeeded' });
      const run = await getRun(store, claimed.run.runId);
      expect(run).toMatchObject({ status: 'succeeded', leaseOwner: null, leaseExpiresAt: null, attempt: 1 });
      expect(ms(run.finishedAt)).toBe(at(2_500));
      const attempts = await store.attemptList({ runId: run.runId });
      expect(attempts).toHaveLength(1);
      expect(attempts[0]).toMatchObject({ runId: run.runId, attempt: 1, workerName: workerA, outcome: 'succeeded', error: null });
      expect(ms(attempts[0]!.startedAt)).toBe(at(0));
      expect(ms(attempts[0]!.finishedAt)).toBe(at(2_500));
    });

    it('failed: run failed (terminal) with lastError, attempt recorded with the error', async () => {
      const { store } = current();
      const claimed = await insertAndClaim(store);
      expect((await finish(store, claimed, { type: 'failed', error: boom })).status).toBe('failed');
      const run = await getRun(store, claimed.run.runId);
      expect(run.status).toBe('failed');
      expect(run.lastError).toEqual(boom);
      expect(ms(run.finishedAt)).toBe(at(0));
      const [attempt] = await store.attemptList({ runId: run.runId });
      expect(attempt).toMatchObject({ outcome: 'failed', error: boom });
    });

    it('retry: waiting_retry due delayMs after now, finishedAt null, attempt retry_scheduled', async () => {
      const { store, clock } = current();
      const claimed = await insertAndClaim(store);
      clock.advance(1_000);
      expect((await finish(store, claimed, { type: 'retry', error: boom, delayMs: 10_000 })).status).toBe('waiting_retry');
      const run = await getRun(store, claimed.run.runId);
      expect(run).toMatchObject({ status: 'waiting_retry', leaseOwner: null, leaseExpiresAt: null, finishedAt: null, lastError: boom, maxAttempts: 3 });
      expect(ms(run.runAt)).toBe(at(11_000));
      expect(ms(run.scheduledFor)).toBe(at(0));
      expect((await store.attemptList({ runId: run.runId }))[0]?.outcome).toBe('retry_scheduled');
    });

    it('retry with runAt: due at that instant', async () => {
      const { store } = current();
      const claimed = await insertAndClaim(store);
      await finish(store, claimed, { type: 'retry', error: boom, delayMs: 10_000, runAt: new Date(at(77_000)) });
      expect(ms((await getRun(store, claimed.run.runId)).runAt)).toBe(at(77_000));
    });

    it('snoozed: pending, due later, maxAttempts + 1, attempt snoozed', async () => {
      const { store } = current();
      const claimed = await insertAndClaim(store);
      expect((await finish(store, claimed, { type: 'snoozed', delayMs: 60_000 })).status).toBe('pending');
      const run = await getRun(store, claimed.run.runId);
      expect(run).toMatchObject({ status: 'pending', maxAttempts: 4, attempt: 1, finishedAt: null, leaseOwner: null });
      expect(ms(run.runAt)).toBe(at(60_000));
      expect((await store.attemptList({ runId: run.runId }))[0]).toMatchObject({ outcome: 'snoozed', error: null });
    });

    it('snoozed with runAt: due at that instant', async () => {
      const { store } = current();
      const claimed = await insertAndClaim(store);
      await finish(store, claimed, { type: 'snoozed', delayMs: 0, runAt: new Date(at(3_600_000)) });
      expect(ms((await getRun(store, claimed.run.runId)).runAt)).toBe(at(3_600_000));
    });

    it('cancelled: run cancelled, finishedAt = now, attempt cancelled', async () => {
      const { store } = current();
      const claimed = await insertAndClaim(store);
      expect((await finish(store, claimed, { type: 'cancelled' })).status).toBe('cancelled');
      const run = await getRun(store, claimed.run.runId);
      expect(run.status).toBe('cancelled');
      expect(ms(run.finishedAt)).toBe(at(0));
      expect((await store.attemptList({ runId: run.runId }))[0]?.outcome).toBe('cancelled');
    });

    it('interrupted: pending, due now, maxAttempts + 1, attempt interrupted', async () => {
      const { store, clock } = current();
      const claimed = await insertAndClaim(store);
      clock.advance(4_000);
      expect((await finish(store, claimed, { type: 'interrupted' })).status).toBe('pending');
      const run = await getRun(store, claimed.run.runId);
      expect(run).toMatchObject({ status: 'pending', maxAttempts: 4, leaseOwner: null, finishedAt: null });
      expect(ms(run.runAt)).toBe(at(4_000));
      expect((await store.attemptList({ runId: run.runId }))[0]?.outcome).toBe('interrupted');
    });

    it('success keeps the lastError of an earlier attempt', async () => {
      const { store, clock } = current();
      const first = await insertAndClaim(store);
      await finish(store, first, { type: 'retry', error: boom, delayMs: 0 });
      clock.advance(1);
      const second = await insertAndClaimAgain(store);
      await finish(store, second, { type: 'succeeded' });
      const run = await getRun(store, first.run.runId);
      expect(run.status).toBe('succeeded');
      expect(run.lastError).toEqual(boom);
      const attempts = await store.attemptList({ runId: run.runId });
      expect(attempts.map((attempt) => [attempt.attempt, attempt.outcome])).toEqual([
        [1, 'retry_scheduled'],
        [2, 'succeeded'],
      ]);
    });

    it('a cancellation request wins over retry, snooze and interrupt: the run ends cancelled', async () => {
      const { store } = current();
      for (const outcome of [
        { type: 'retry', error: boom, delayMs: 1_000 },
        { type: 'snoozed', delayMs: 1_000 },
        { type: 'interrupted' },
      ] satisfies FinishOutcome[]) {
        const claimed = await insertAndClaim(store);
        expect((await store.runCancel({ runId: claimed.run.runId })).outcome).toBe('cancel_requested');
        expect(await finish(store, claimed, outcome)).toMatchObject({ applied: true, status: 'cancelled' });
        const run = await getRun(store, claimed.run.runId);
        expect(run.status).toBe('cancelled');
        expect(run.finishedAt).not.toBeNull();
        expect((await store.attemptList({ runId: run.runId }))[0]?.outcome).toBe('cancelled');
      }
    });

    it('finishes a batch in input order, each fenced on its own', async () => {
      const { store } = current();
      const one = await insertAndClaim(store);
      const two = await insertAndClaim(store);
      const results = await store.runFinishMany({
        finishes: [
          { runId: two.run.runId, workerName: workerA, attempt: 1, outcome: { type: 'succeeded' } },
          { runId: one.run.runId, workerName: workerB, attempt: 1, outcome: { type: 'succeeded' } },
          { runId: one.run.runId, workerName: workerA, attempt: 1, outcome: { type: 'failed', error: boom } },
        ],
      });
      expect(results).toEqual([
        { runId: two.run.runId, applied: true, status: 'succeeded' },
        { runId: one.run.runId, applied: false, status: 'leased' },
        { runId: one.run.runId, applied: true, status: 'failed' },
      ]);
    });

    describeFencing(current);
  });
}

/** Claims the (single) due run again as worker A. */
async function insertAndClaimAgain(store: DurablyStore): Promise<ClaimedRun> {
  const [claimed] = await store.runClaim({ workerName: workerA, limit: 1, leaseDurationMs: 30_000, jobNames: ['conformance.job-a'] });
  if (!claimed) throw new Error('Expected the run to be claimable again.');
  return claimed;
}

function describeFencing(current: ReturnType<typeof useConformanceStore>): void {
  describe('fencing', () => {
    it("rejects another worker's finish and changes nothing", async () => {
      const { store } = current();
      const claimed = await insertAndClaim(store);
      const result = await finish(store, claimed, { type: 'failed', error: boom }, workerB);
      expect(result).toEqual({ runId: claimed.run.runId, applied: false, status: 'leased' });
      const run = await getRun(store, claimed.run.runId);
      expect(run).toMatchObject({ status: 'leased', leaseOwner: workerA, lastError: null });
      expect(await store.attemptList({ runId: run.runId })).toEqual([]);
    });

    it("rejects a stale attempt's finish after the run was reclaimed", async () => {
      const { store, clock } = current();
      const stale = await insertAndClaim(store);
      clock.advance(30_000);
      await store.leaseReapExpired({ limit: 10 });
      const fresh = await insertAndClaimAgain(store);
      expect(fresh.run.attempt).toBe(2);
      // Same worker name, old attempt number: still rejected.
      expect(await finish(store, stale, { type: 'succeeded' })).toMatchObject({ applied: false, status: 'leased' });
      const run = await getRun(store, stale.run.runId);
      expect(run).toMatchObject({ status: 'leased', attempt: 2 });
      expect((await store.attemptList({ runId: run.runId })).map((attempt) => attempt.outcome)).toEqual(['lease_expired']);
    });

    it('applies the owner\'s finish after its lease expired if nobody reaped it yet', async () => {
      const { store, clock } = current();
      const claimed = await insertAndClaim(store);
      clock.advance(60_000);
      expect(await finish(store, claimed, { type: 'succeeded' })).toMatchObject({ applied: true, status: 'succeeded' });
    });

    it('rejects a second finish of an attempt that already ended', async () => {
      const { store } = current();
      const claimed = await insertAndClaim(store);
      await finish(store, claimed, { type: 'succeeded' });
      expect(await finish(store, claimed, { type: 'failed', error: boom })).toEqual({ runId: claimed.run.runId, applied: false, status: 'succeeded' });
      expect((await getRun(store, claimed.run.runId)).status).toBe('succeeded');
    });

    it('drops progress and logs of an attempt that already ended', async () => {
      const { store } = current();
      const claimed = await insertAndClaim(store);
      const ref = { runId: claimed.run.runId, workerName: workerA, attempt: 1 };
      await store.runFinishMany({ finishes: [{ ...ref, outcome: { type: 'succeeded' } }] });
      await store.runProgressSet({ updates: [{ ...ref, percent: 50, message: 'late' }] });
      await store.runLogAppend({ lines: [{ ...ref, at: new Date(at(0)), level: 'info', message: 'late' }], maxLinesPerRun: 10 });
      expect((await getRun(store, ref.runId)).progressPercent).toBeNull();
      expect(await store.runLogList({ runId: ref.runId })).toEqual([]);
    });

    it('reports an unknown run as not applied without a status', async () => {
      const { store } = current();
      const [result] = await store.runFinishMany({
        finishes: [{ runId: '00000000-0000-4000-8000-000000000000', workerName: workerA, attempt: 1, outcome: { type: 'succeeded' } }],
      });
      expect(result).toEqual({ runId: '00000000-0000-4000-8000-000000000000', applied: false });
    });

    it('drops progress and log writes of a stale owner or attempt', async () => {
      const { store } = current();
      const claimed = await insertAndClaim(store);
      const runId = claimed.run.runId;
      await store.runProgressSet({
        updates: [
          { runId, workerName: workerB, attempt: 1, percent: 90, message: 'zombie' },
          { runId, workerName: workerA, attempt: 2, percent: 80, message: 'future' },
        ],
      });
      await store.runLogAppend({
        lines: [
          { runId, workerName: workerB, attempt: 1, at: new Date(at(0)), level: 'info', message: 'zombie' },
          { runId, workerName: workerA, attempt: 0, at: new Date(at(0)), level: 'info', message: 'old' },
        ],
        maxLinesPerRun: 100,
      });
      const run = await getRun(store, runId);
      expect(run.progressPercent).toBeNull();
      expect(run.progressMessage).toBeNull();
      expect(await store.runLogList({ runId })).toEqual([]);
    });
  });
}
