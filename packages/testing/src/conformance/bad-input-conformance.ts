import { InvalidArgumentError, type DurablyStore } from '@durably/core';
import { describe, expect, it } from 'vitest';
import { insertAndClaim, insertRun, jobA, leaseMs, newRun, useConformanceStore, workerA } from './conformance-fixtures.js';
import type { StoreConformanceHarness } from './store-conformance-harness.js';

/** Ids that name no run: a well-formed UUID, and strings that are not UUIDs at all. */
const unknownIds = ['00000000-0000-4000-8000-000000000000', 'not-a-uuid', ''];
const badLimits = [0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY];

async function expectInvalid(call: Promise<unknown>): Promise<void> {
  await expect(call).rejects.toBeInstanceOf(InvalidArgumentError);
}

/** Registers the conformance tests of the bad input and close area. */
export function describeBadInputConformance(harness: StoreConformanceHarness): void {
  describe(`store conformance: ${harness.name} › bad input`, () => {
    const current = useConformanceStore(harness);

    it('answers unknown or malformed run ids without throwing', async () => {
      const { store } = current();
      await insertRun(store);
      for (const runId of unknownIds) {
        expect(await store.runGet({ runId })).toBeUndefined();
        expect(await store.runCancel({ runId })).toEqual({ outcome: 'not_found' });
        expect(await store.runRetry({ runId })).toBeUndefined();
        expect(await store.runDelete({ runId })).toBe(false);
        expect(await store.attemptList({ runId })).toEqual([]);
        expect(await store.runLogList({ runId })).toEqual([]);
        const [finish] = await store.runFinishMany({ finishes: [{ runId, workerName: workerA, attempt: 1, outcome: { type: 'succeeded' } }] });
        expect(finish).toEqual({ runId, applied: false });
        const extended = await store.leaseExtend({ workerName: workerA, attempts: [{ runId, attempt: 1 }], leaseDurationMs: leaseMs });
        expect(extended.lost).toEqual([runId]);
        await store.runProgressSet({ updates: [{ runId, workerName: workerA, attempt: 1, percent: 5, message: null }] });
        await store.runLogAppend({ lines: [{ runId, workerName: workerA, attempt: 1, at: new Date(), level: 'info', message: 'x' }], maxLinesPerRun: 5 });
      }
      expect((await store.runCountByStatus({})).pending).toBe(1);
    });

    it('rejects invalid limits with InvalidArgumentError', async () => {
      const { store } = current();
      for (const limit of badLimits) {
        await expectInvalid(store.runClaim({ workerName: workerA, limit, leaseDurationMs: leaseMs, jobNames: [jobA] }));
        await expectInvalid(store.leaseReapExpired({ limit }));
        await expectInvalid(store.runDeleteFinished({ olderThanMs: 0, limit }));
        await expectInvalid(store.runList({ limit }));
        await expectInvalid(store.scheduleListDue({ limit }));
        await expectInvalid(store.runLogList({ runId: 'x', limit }));
        await expectInvalid(store.runLogAppend({ lines: [], maxLinesPerRun: limit }));
      }
    });

    it('rejects invalid durations with InvalidArgumentError', async () => {
      const { store } = current();
      await expectInvalid(store.runClaim({ workerName: workerA, limit: 1, leaseDurationMs: 0, jobNames: [jobA] }));
      await expectInvalid(store.runClaim({ workerName: workerA, limit: 1, leaseDurationMs: -5, jobNames: [jobA] }));
      await expectInvalid(store.leaseExtend({ workerName: workerA, attempts: [], leaseDurationMs: Number.NaN }));
      await expectInvalid(store.runDeleteFinished({ olderThanMs: -1, limit: 10 }));
      await expectInvalid(store.workerList({ seenWithinMs: -1 }));
    });

    it('rejects an invalid retry delay or progress percent and changes nothing', async () => {
      const { store } = current();
      const claimed = await insertAndClaim(store);
      const ref = { runId: claimed.run.runId, workerName: workerA, attempt: 1 };
      await expectInvalid(store.runFinishMany({ finishes: [{ ...ref, outcome: { type: 'retry', error: { name: 'E', message: 'm' }, delayMs: -1 } }] }));
      // A bad delay is refused even when an explicit `runAt` is given (every store checks both).
      const runAt = new Date(Date.UTC(2030, 0, 1));
      await expectInvalid(store.runFinishMany({ finishes: [{ ...ref, outcome: { type: 'retry', error: { name: 'E', message: 'm' }, delayMs: Number.NaN, runAt } }] }));
      await expectInvalid(store.runFinishMany({ finishes: [{ ...ref, outcome: { type: 'snoozed', delayMs: 0, runAt: new Date(Number.NaN) } }] }));
      await expectInvalid(store.runProgressSet({ updates: [{ ...ref, percent: 101, message: null }] }));
      await expectInvalid(store.runProgressSet({ updates: [{ ...ref, percent: Number.NaN, message: null }] }));
      const run = await store.runGet({ runId: ref.runId });
      expect(run).toMatchObject({ status: 'leased', progressPercent: null });
    });

    it('rejects an invalid new run (maxAttempts, payload JSON) and inserts nothing of the batch', async () => {
      const { store } = current();
      await expectInvalid(store.runInsertMany({ runs: [newRun(), newRun({ maxAttempts: 0 })] }));
      await expectInvalid(store.runInsertMany({ runs: [newRun({ payloadJson: '{not json' })] }));
      await expectInvalid(store.runInsertMany({ runs: [newRun({ runAt: new Date(Number.NaN) })] }));
      expect((await store.runCountByStatus({})).pending).toBe(0);
    });

    it('rejects a transaction when the store has no transactionalEnqueue', async (test) => {
      const { store } = current();
      test.skip(store.capabilities.transactionalEnqueue, 'the store supports transactionalEnqueue; its own tests cover transactions');
      await expectInvalid(store.runInsertMany({ runs: [newRun()], transaction: {} }));
      expect((await store.runCountByStatus({})).pending).toBe(0);
    });
  });

  describe(`store conformance: ${harness.name} › close`, () => {
    const current = useConformanceStore(harness);

    it('migrate is idempotent on a migrated store', async () => {
      const { store } = current();
      await store.migrate();
      await store.migrate();
      await insertRun(store);
      expect((await store.runCountByStatus({})).pending).toBe(1);
    });

    it('rejects every call after close with StoreClosedError; close is idempotent', async () => {
      const { store } = current();
      await store.close();
      await store.close();
      const calls: [string, (s: DurablyStore) => Promise<unknown>][] = [
        ['clockNow', (s) => s.clockNow()],
        ['migrate', (s) => s.migrate()],
        ['runInsertMany', (s) => s.runInsertMany({ runs: [newRun()] })],
        ['runClaim', (s) => s.runClaim({ workerName: workerA, limit: 1, leaseDurationMs: leaseMs, jobNames: [jobA] })],
        ['runGet', (s) => s.runGet({ runId: 'x' })],
        ['runList', (s) => s.runList({ limit: 1 })],
        ['scheduleList', (s) => s.scheduleList({ includeDisabled: true })],
        ['workerList', (s) => s.workerList({ seenWithinMs: 1 })],
        ['leaseReapExpired', (s) => s.leaseReapExpired({ limit: 1 })],
      ];
      for (const [name, call] of calls) {
        await expect(call(store), name).rejects.toMatchObject({ code: 'store_closed' });
      }
    });
  });
}
