import type { DurablyStore } from '@durably/core';
import { describe, expect, it } from 'vitest';
import { at, insertAndClaim, insertRun, newRun, useConformanceStore, workerA } from './conformance-fixtures.js';
import type { StoreConformanceHarness } from './store-conformance-harness.js';

const hour = 3_600_000;

/** A run that succeeded now, with one attempt and one log line. */
async function succeededRun(store: DurablyStore): Promise<string> {
  const claimed = await insertAndClaim(store);
  const ref = { runId: claimed.run.runId, workerName: workerA, attempt: 1 };
  await store.runLogAppend({ lines: [{ ...ref, at: new Date(at(0)), level: 'info', message: 'done' }], maxLinesPerRun: 10 });
  await store.runFinishMany({ finishes: [{ ...ref, outcome: { type: 'succeeded' } }] });
  return ref.runId;
}

/** Registers the conformance tests of the retention area. */
export function describeRetentionConformance(harness: StoreConformanceHarness): void {
  describe(`store conformance: ${harness.name} › retention`, () => {
    const current = useConformanceStore(harness);

    it('deletes terminal runs finished more than olderThanMs ago, with attempts and logs', async () => {
      const { store, clock } = current();
      const old = await succeededRun(store);
      clock.advance(hour + 1);
      const recent = await succeededRun(store);
      expect(await store.runDeleteFinished({ olderThanMs: hour, limit: 100 })).toBe(1);
      expect(await store.runGet({ runId: old })).toBeUndefined();
      expect(await store.attemptList({ runId: old })).toEqual([]);
      expect(await store.runLogList({ runId: old })).toEqual([]);
      expect(await store.runGet({ runId: recent })).toBeDefined();
      expect(await store.runLogList({ runId: recent })).toHaveLength(1);
    });

    it('keeps a run finished exactly olderThanMs ago ("more than" is strict)', async () => {
      const { store, clock } = current();
      const runId = await succeededRun(store);
      clock.advance(hour);
      expect(await store.runDeleteFinished({ olderThanMs: hour, limit: 100 })).toBe(0);
      clock.advance(1);
      expect(await store.runDeleteFinished({ olderThanMs: hour, limit: 100 })).toBe(1);
      expect(await store.runGet({ runId })).toBeUndefined();
    });

    it('never deletes active runs, however old', async () => {
      const { store, clock } = current();
      const pending = await insertRun(store);
      const leased = await insertAndClaim(store, { runAt: new Date(at(-1)) });
      clock.advance(100 * hour);
      expect(await store.runDeleteFinished({ olderThanMs: 0, limit: 100 })).toBe(0);
      expect(await store.runGet({ runId: pending })).toBeDefined();
      expect(await store.runGet({ runId: leased.run.runId })).toBeDefined();
    });

    it('deletes every terminal status: succeeded, failed, cancelled, skipped', async () => {
      const { store, clock } = current();
      await succeededRun(store);
      const failed = await insertAndClaim(store);
      await store.runFinishMany({ finishes: [{ runId: failed.run.runId, workerName: workerA, attempt: 1, outcome: { type: 'failed', error: { name: 'E', message: 'm' } } }] });
      await store.runCancel({ runId: await insertRun(store) });
      await store.scheduleInsert({
        schedule: { jobName: 'conformance.cron', cron: '* * * * *', timeZone: 'UTC', enabled: true, allowConcurrentRuns: false, payloadJson: 'null', nextRunAt: new Date(at(0)), updatedBy: 'code' },
      });
      await insertRun(store, { jobName: 'conformance.cron', runAt: new Date(at(hour)) });
      const skipped = await store.scheduleMaterialize({
        jobName: 'conformance.cron',
        expectedNextRunAt: new Date(at(0)),
        slotAt: new Date(at(0)),
        nextRunAt: null,
        run: newRun({ jobName: 'conformance.cron', payloadJson: 'null', maxAttempts: 1, origin: 'cron' }),
      });
      expect(skipped?.status).toBe('skipped');
      clock.advance(1);
      expect(await store.runDeleteFinished({ olderThanMs: 0, limit: 100 })).toBe(4);
      const counts = await store.runCountByStatus({});
      expect(counts).toMatchObject({ succeeded: 0, failed: 0, cancelled: 0, skipped: 0, pending: 1 });
    });

    it('honours limit, deleting the oldest first', async () => {
      const { store, clock } = current();
      const ids: string[] = [];
      for (let index = 0; index < 5; index++) {
        ids.push(await succeededRun(store));
        clock.advance(1_000);
      }
      expect(await store.runDeleteFinished({ olderThanMs: 0, limit: 2 })).toBe(2);
      expect(await store.runGet({ runId: ids[0]! })).toBeUndefined();
      expect(await store.runGet({ runId: ids[1]! })).toBeUndefined();
      expect(await store.runGet({ runId: ids[2]! })).toBeDefined();
      expect(await store.runDeleteFinished({ olderThanMs: 0, limit: 2 })).toBe(2);
      expect(await store.runDeleteFinished({ olderThanMs: 0, limit: 2 })).toBe(1);
      expect(await store.runDeleteFinished({ olderThanMs: 0, limit: 2 })).toBe(0);
    });

    it('runDelete removes one run of any status with its attempts and logs', async () => {
      const { store } = current();
      const claimed = await insertAndClaim(store);
      const ref = { runId: claimed.run.runId, workerName: workerA, attempt: 1 };
      await store.runLogAppend({ lines: [{ ...ref, at: new Date(at(0)), level: 'warn', message: 'x' }], maxLinesPerRun: 10 });
      expect(await store.runDelete({ runId: ref.runId })).toBe(true);
      expect(await store.runGet({ runId: ref.runId })).toBeUndefined();
      expect(await store.runLogList({ runId: ref.runId })).toEqual([]);
      expect(await store.runDelete({ runId: ref.runId })).toBe(false);
      const [finish] = await store.runFinishMany({ finishes: [{ ...ref, outcome: { type: 'succeeded' } }] });
      expect(finish).toEqual({ runId: ref.runId, applied: false });
    });
  });
}
