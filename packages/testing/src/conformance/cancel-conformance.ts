import { RunKeyConflictError } from '@durably/core';
import { describe, expect, it } from 'vitest';
import { at, claimOne, getRun, insertAndClaim, insertRun, jobA, jobB, ms, newRun, useConformanceStore, workerA } from './conformance-fixtures.js';
import type { StoreConformanceHarness } from './store-conformance-harness.js';

const missing = '00000000-0000-4000-8000-000000000000';
const boom = { name: 'Error', message: 'boom' };

/** Registers the conformance tests of the cancel and retry area. */
export function describeCancelConformance(harness: StoreConformanceHarness): void {
  describe(`store conformance: ${harness.name} › cancel`, () => {
    const current = useConformanceStore(harness);

    it('cancels a pending run at once', async () => {
      const { store, clock } = current();
      const runId = await insertRun(store);
      clock.advance(500);
      const result = await store.runCancel({ runId });
      expect(result.outcome).toBe('cancelled');
      expect(result.run?.status).toBe('cancelled');
      const run = await getRun(store, runId);
      expect(run.status).toBe('cancelled');
      expect(ms(run.finishedAt)).toBe(at(500));
      // cancelRequestedAt is about an active attempt; a run cancelled at once never had one.
      expect(run.cancelRequestedAt).toBeNull();
      expect(await store.runClaim({ workerName: workerA, limit: 1, leaseDurationMs: 1_000, jobNames: [jobA] })).toEqual([]);
    });

    it('cancels a waiting_retry run at once', async () => {
      const { store } = current();
      const claimed = await insertAndClaim(store);
      await store.runFinishMany({ finishes: [{ runId: claimed.run.runId, workerName: workerA, attempt: 1, outcome: { type: 'retry', error: boom, delayMs: 1_000 } }] });
      expect((await store.runCancel({ runId: claimed.run.runId })).outcome).toBe('cancelled');
      expect((await getRun(store, claimed.run.runId)).status).toBe('cancelled');
    });

    it('requests cancellation of a leased run; its worker then ends it cancelled', async () => {
      const { store, clock } = current();
      const claimed = await insertAndClaim(store);
      clock.advance(100);
      const result = await store.runCancel({ runId: claimed.run.runId });
      expect(result.outcome).toBe('cancel_requested');
      expect(result.run?.status).toBe('leased');
      expect(ms(result.run?.cancelRequestedAt)).toBe(at(100));
      clock.advance(100);
      expect((await store.runCancel({ runId: claimed.run.runId })).outcome).toBe('cancel_requested');
      expect(ms((await getRun(store, claimed.run.runId)).cancelRequestedAt)).toBe(at(100));
      const [finish] = await store.runFinishMany({ finishes: [{ runId: claimed.run.runId, workerName: workerA, attempt: 1, outcome: { type: 'cancelled' } }] });
      expect(finish).toEqual({ runId: claimed.run.runId, applied: true, status: 'cancelled' });
    });

    it('leaves a finished run as it is: already_finished', async () => {
      const { store } = current();
      const claimed = await insertAndClaim(store);
      await store.runFinishMany({ finishes: [{ runId: claimed.run.runId, workerName: workerA, attempt: 1, outcome: { type: 'succeeded' } }] });
      const result = await store.runCancel({ runId: claimed.run.runId });
      expect(result.outcome).toBe('already_finished');
      expect(result.run?.status).toBe('succeeded');
      expect((await getRun(store, claimed.run.runId)).status).toBe('succeeded');
    });

    it('reports an unknown run as not_found', async () => {
      const { store } = current();
      const result = await store.runCancel({ runId: missing });
      expect(result.outcome).toBe('not_found');
      expect(result.run).toBeUndefined();
    });

    it('cancelMany cancels every active run of one job and counts each kind', async () => {
      const { store } = current();
      await insertRun(store);
      await insertRun(store, { runAt: new Date(at(60_000)) });
      await insertAndClaim(store, { runAt: new Date(at(-1)) });
      const done = await insertAndClaim(store, { runAt: new Date(at(-2)) });
      await store.runFinishMany({ finishes: [{ runId: done.run.runId, workerName: workerA, attempt: 1, outcome: { type: 'succeeded' } }] });
      const other = await insertRun(store, { jobName: jobB });
      expect(await store.runCancelMany({ jobName: jobA })).toEqual({ cancelled: 2, cancelRequested: 1 });
      const counts = await store.runCountByStatus({ jobName: jobA });
      expect(counts).toMatchObject({ cancelled: 2, leased: 1, succeeded: 1, pending: 0 });
      expect((await getRun(store, other)).status).toBe('pending');
      expect(await store.runCancelMany({ jobName: 'conformance.nothing' })).toEqual({ cancelled: 0, cancelRequested: 0 });
    });
  });

  describe(`store conformance: ${harness.name} › retry`, () => {
    const current = useConformanceStore(harness);

    it('makes a failed run pending and due now, allowing one more attempt', async () => {
      const { store, clock } = current();
      const claimed = await insertAndClaim(store, { maxAttempts: 1 });
      await store.runFinishMany({ finishes: [{ runId: claimed.run.runId, workerName: workerA, attempt: 1, outcome: { type: 'failed', error: boom } }] });
      clock.advance(60_000);
      const retried = await store.runRetry({ runId: claimed.run.runId });
      expect(retried?.lastError).toEqual(boom);
      expect(ms(retried?.scheduledFor)).toBe(at(0));
      expect(retried).toMatchObject({ runId: claimed.run.runId, status: 'pending', attempt: 1, maxAttempts: 2, finishedAt: null, origin: 'enqueue' });
      expect(ms(retried?.runAt)).toBe(at(60_000));
      const again = await claimOne(store);
      expect(again.run.runId).toBe(claimed.run.runId);
      expect(again.run.attempt).toBe(2);
      expect((await store.attemptList({ runId: claimed.run.runId })).map((attempt) => attempt.outcome)).toEqual(['failed']);
    });

    it('keeps maxAttempts when it already allows another attempt', async () => {
      const { store } = current();
      const claimed = await insertAndClaim(store, { maxAttempts: 5 });
      await store.runFinishMany({ finishes: [{ runId: claimed.run.runId, workerName: workerA, attempt: 1, outcome: { type: 'succeeded' } }] });
      expect((await store.runRetry({ runId: claimed.run.runId }))?.maxAttempts).toBe(5);
    });

    it('retries cancelled runs and clears the cancellation request', async () => {
      const { store } = current();
      const runId = await insertRun(store);
      await store.runCancel({ runId });
      expect(await store.runRetry({ runId })).toMatchObject({ status: 'pending', cancelRequestedAt: null, finishedAt: null });
    });

    it('retries skipped cron runs, keeping their slot', async () => {
      const { store } = current();
      await insertRun(store, { runAt: new Date(at(60_000)) });
      await store.scheduleInsert({
        schedule: { jobName: jobA, cron: '* * * * *', timeZone: 'UTC', enabled: true, allowConcurrentRuns: false, payloadJson: '{}', nextRunAt: new Date(at(0)), updatedBy: 'code' },
      });
      const skipped = await store.scheduleMaterialize({
        jobName: jobA,
        expectedNextRunAt: new Date(at(0)),
        slotAt: new Date(at(0)),
        nextRunAt: new Date(at(60_000)),
        run: newRun({ maxAttempts: 1, origin: 'cron' }),
      });
      expect(skipped?.status).toBe('skipped');
      const retried = await store.runRetry({ runId: skipped!.runId });
      expect(retried).toMatchObject({ status: 'pending', origin: 'cron', attempt: 0, maxAttempts: 1 });
      expect(ms(retried?.slotAt)).toBe(at(0));
    });

    it('returns an active run unchanged', async () => {
      const { store } = current();
      const pending = await insertRun(store, { runAt: new Date(at(5_000)) });
      const leased = await insertAndClaim(store);
      expect(await store.runRetry({ runId: pending })).toMatchObject({ status: 'pending', maxAttempts: 3 });
      expect(ms((await getRun(store, pending)).runAt)).toBe(at(5_000));
      expect(await store.runRetry({ runId: leased.run.runId })).toMatchObject({ status: 'leased', leaseOwner: workerA, maxAttempts: 3 });
    });

    it('returns undefined for an unknown run', async () => {
      const { store } = current();
      expect(await store.runRetry({ runId: missing })).toBeUndefined();
    });

    it('refuses to retry a keyed run while another active run holds its key', async () => {
      const { store } = current();
      const old = await insertRun(store, { key: 'k' });
      await store.runCancel({ runId: old });
      const holder = await insertRun(store, { key: 'k' });
      await expect(store.runRetry({ runId: old })).rejects.toBeInstanceOf(RunKeyConflictError);
      expect((await getRun(store, old)).status).toBe('cancelled');
      await store.runCancel({ runId: holder });
      expect((await store.runRetry({ runId: old }))?.status).toBe('pending');
    });
  });
}
