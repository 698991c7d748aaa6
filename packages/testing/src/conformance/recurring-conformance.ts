import type { DurablyStore, NewSchedule } from '@durably/core';
import { describe, expect, it } from 'vitest';
import { at, getRun, insertAndClaim, jobA, jobB, ms, newRun, useConformanceStore } from './conformance-fixtures.js';
import type { StoreConformanceHarness } from './store-conformance-harness.js';

const minute = 60_000;

function newSchedule(overrides: Partial<NewSchedule> = {}): NewSchedule {
  return {
    jobName: jobA,
    cron: '* * * * *',
    timeZone: 'UTC',
    enabled: true,
    allowConcurrentRuns: true,
    payloadJson: '{"report":"daily"}',
    nextRunAt: new Date(at(minute)),
    updatedBy: 'code',
    ...overrides,
  };
}

/** Materialises the slot at `slotAt`, advancing to the next minute. */
function materialize(store: DurablyStore, slotAt: number, jobName = jobA) {
  return store.scheduleMaterialize({
    jobName,
    expectedNextRunAt: new Date(slotAt),
    slotAt: new Date(slotAt),
    nextRunAt: new Date(slotAt + minute),
    run: newRun({ jobName, origin: 'cron', runAt: new Date(slotAt), payloadJson: '{"report":"daily"}' }),
  });
}

/** Registers the conformance tests of the recurring area. */
export function describeRecurringConformance(harness: StoreConformanceHarness): void {
  describe(`store conformance: ${harness.name} › recurring`, () => {
    const current = useConformanceStore(harness);

    it('inserts a schedule only if absent, and reads it back', async () => {
      const { store } = current();
      expect(await store.scheduleInsert({ schedule: newSchedule() })).toBe(true);
      expect(await store.scheduleInsert({ schedule: newSchedule({ cron: '0 * * * *' }) })).toBe(false);
      const schedule = await store.scheduleGet({ jobName: jobA });
      expect(schedule).toMatchObject({
        jobName: jobA,
        cron: '* * * * *',
        timeZone: 'UTC',
        enabled: true,
        allowConcurrentRuns: true,
        payload: { report: 'daily' },
        lastSlotAt: null,
        lastRunId: null,
        lastError: null,
        updatedBy: 'code',
      });
      expect(ms(schedule?.nextRunAt)).toBe(at(minute));
      expect(ms(schedule?.createdAt)).toBe(at(0));
      expect(ms(schedule?.updatedAt)).toBe(at(0));
      expect(await store.scheduleGet({ jobName: jobB })).toBeUndefined();
    });

    it('updates only the given fields and stamps updatedAt and updatedBy', async () => {
      const { store, clock } = current();
      await store.scheduleInsert({ schedule: newSchedule() });
      clock.advance(5_000);
      const updated = await store.scheduleUpdate({ jobName: jobA, enabled: false, nextRunAt: null, lastError: 'bad zone', updatedBy: 'admin' });
      expect(updated).toMatchObject({ enabled: false, nextRunAt: null, lastError: 'bad zone', updatedBy: 'admin', cron: '* * * * *', timeZone: 'UTC' });
      expect(ms(updated?.updatedAt)).toBe(at(5_000));
      expect(ms(updated?.createdAt)).toBe(at(0));
      const again = await store.scheduleUpdate({
        jobName: jobA,
        cron: '0 3 * * *',
        timeZone: 'Europe/Berlin',
        allowConcurrentRuns: false,
        payloadJson: '{"n":1}',
        updatedBy: 'code',
      });
      expect(again).toMatchObject({ cron: '0 3 * * *', timeZone: 'Europe/Berlin', allowConcurrentRuns: false, payload: { n: 1 }, enabled: false, lastError: 'bad zone' });
      expect(await store.scheduleUpdate({ jobName: jobB, enabled: true, updatedBy: 'admin' })).toBeUndefined();
    });

    it('lists schedules by job name, with or without disabled ones', async () => {
      const { store } = current();
      await store.scheduleInsert({ schedule: newSchedule({ jobName: 'c.job' }) });
      await store.scheduleInsert({ schedule: newSchedule({ jobName: 'a.job', enabled: false, nextRunAt: null }) });
      await store.scheduleInsert({ schedule: newSchedule({ jobName: 'b.job' }) });
      expect((await store.scheduleList({ includeDisabled: true })).map((s) => s.jobName)).toEqual(['a.job', 'b.job', 'c.job']);
      expect((await store.scheduleList({ includeDisabled: false })).map((s) => s.jobName)).toEqual(['b.job', 'c.job']);
    });

    it('lists due schedules by the store clock, earliest first, honouring limit and jobNames', async () => {
      const { store, clock } = current();
      await store.scheduleInsert({ schedule: newSchedule({ jobName: 'late', nextRunAt: new Date(at(2 * minute)) }) });
      await store.scheduleInsert({ schedule: newSchedule({ jobName: 'early', nextRunAt: new Date(at(minute)) }) });
      await store.scheduleInsert({ schedule: newSchedule({ jobName: 'off', enabled: false, nextRunAt: new Date(at(0)) }) });
      await store.scheduleInsert({ schedule: newSchedule({ jobName: 'paused', nextRunAt: null }) });
      let due = await store.scheduleListDue({ limit: 10 });
      expect(due.schedules).toEqual([]);
      expect(ms(due.now)).toBe(at(0));
      clock.advance(2 * minute);
      due = await store.scheduleListDue({ limit: 10 });
      expect(ms(due.now)).toBe(at(2 * minute));
      expect(due.schedules.map((s) => s.jobName)).toEqual(['early', 'late']);
      expect((await store.scheduleListDue({ limit: 1 })).schedules.map((s) => s.jobName)).toEqual(['early']);
      expect((await store.scheduleListDue({ limit: 10, jobNames: ['late', 'off'] })).schedules.map((s) => s.jobName)).toEqual(['late']);
      expect((await store.scheduleListDue({ limit: 10, jobNames: [] })).schedules).toEqual([]);
    });

    it('materialises a slot: advances nextRunAt and inserts the run for the slot', async () => {
      const { store, clock } = current();
      await store.scheduleInsert({ schedule: newSchedule() });
      clock.advance(minute + 50);
      const result = await materialize(store, at(minute));
      expect(result?.status).toBe('pending');
      const run = await getRun(store, result!.runId);
      expect(run).toMatchObject({ jobName: jobA, status: 'pending', origin: 'cron', payload: { report: 'daily' }, key: null });
      expect(ms(run.slotAt)).toBe(at(minute));
      expect(ms(run.scheduledFor)).toBe(at(minute));
      expect(ms(run.runAt)).toBe(at(minute));
      expect(ms(run.createdAt)).toBe(at(minute + 50));
      const schedule = await store.scheduleGet({ jobName: jobA });
      expect(ms(schedule?.nextRunAt)).toBe(at(2 * minute));
      expect(ms(schedule?.lastSlotAt)).toBe(at(minute));
      expect(schedule?.lastRunId).toBe(result!.runId);
    });

    it('returns undefined and changes nothing when nextRunAt moved on (compare-and-set)', async () => {
      const { store } = current();
      await store.scheduleInsert({ schedule: newSchedule({ nextRunAt: new Date(at(2 * minute)) }) });
      expect(await materialize(store, at(minute))).toBeUndefined();
      expect(ms((await store.scheduleGet({ jobName: jobA }))?.nextRunAt)).toBe(at(2 * minute));
      expect((await store.runList({ limit: 10 })).runs).toEqual([]);
      expect(await materialize(store, at(minute), jobB)).toBeUndefined();
    });

    it('does not materialise a disabled schedule', async () => {
      const { store } = current();
      await store.scheduleInsert({ schedule: newSchedule({ enabled: false }) });
      expect(await materialize(store, at(minute))).toBeUndefined();
      expect((await store.runList({ limit: 10 })).runs).toEqual([]);
    });

    it('materialises a slot once under 10 concurrent materialisers', async () => {
      const { store } = current();
      await store.scheduleInsert({ schedule: newSchedule() });
      const results = await Promise.all(Array.from({ length: 10 }, () => materialize(store, at(minute))));
      expect(results.filter((result) => result !== undefined)).toHaveLength(1);
      expect((await store.runList({ limit: 100, jobName: jobA })).runs).toHaveLength(1);
      expect(ms((await store.scheduleGet({ jobName: jobA }))?.nextRunAt)).toBe(at(2 * minute));
    });

    it('never inserts a second run for a slot that already has one, but still advances', async () => {
      const { store } = current();
      await store.scheduleInsert({ schedule: newSchedule() });
      const first = await materialize(store, at(minute));
      await store.scheduleUpdate({ jobName: jobA, nextRunAt: new Date(at(minute)), updatedBy: 'admin' });
      expect(await materialize(store, at(minute))).toBeUndefined();
      expect((await store.runList({ limit: 10 })).runs.map((run) => run.runId)).toEqual([first?.runId]);
      expect(ms((await store.scheduleGet({ jobName: jobA }))?.nextRunAt)).toBe(at(2 * minute));
    });

    it('inserts the slot as skipped when a non-concurrent job has an active run', async () => {
      const { store, clock } = current();
      await store.scheduleInsert({ schedule: newSchedule({ allowConcurrentRuns: false }) });
      clock.advance(minute);
      const first = await materialize(store, at(minute));
      expect(first?.status).toBe('pending');
      clock.advance(minute);
      const second = await materialize(store, at(2 * minute));
      expect(second?.status).toBe('skipped');
      const skipped = await getRun(store, second!.runId);
      expect(skipped.status).toBe('skipped');
      expect(ms(skipped.slotAt)).toBe(at(2 * minute));
      expect(ms(skipped.finishedAt)).toBe(at(2 * minute));
      expect((await store.scheduleGet({ jobName: jobA }))?.lastRunId).toBe(second!.runId);
    });

    it('counts a leased run (of any origin) as active for non-concurrent schedules', async () => {
      const { store, clock } = current();
      await store.scheduleInsert({ schedule: newSchedule({ allowConcurrentRuns: false }) });
      const claimed = await insertAndClaim(store);
      clock.advance(minute);
      expect((await materialize(store, at(minute)))?.status).toBe('skipped');
      await store.runFinishMany({ finishes: [{ runId: claimed.run.runId, workerName: 'worker-a', attempt: 1, outcome: { type: 'succeeded' } }] });
      expect((await materialize(store, at(2 * minute)))?.status).toBe('pending');
    });

    it('inserts concurrent slots as pending when the schedule allows concurrent runs', async () => {
      const { store } = current();
      await store.scheduleInsert({ schedule: newSchedule({ allowConcurrentRuns: true }) });
      expect((await materialize(store, at(minute)))?.status).toBe('pending');
      expect((await materialize(store, at(2 * minute)))?.status).toBe('pending');
    });

    it('accepts a null next slot (the schedule has no further occurrence)', async () => {
      const { store } = current();
      await store.scheduleInsert({ schedule: newSchedule() });
      const result = await store.scheduleMaterialize({
        jobName: jobA,
        expectedNextRunAt: new Date(at(minute)),
        slotAt: new Date(at(minute)),
        nextRunAt: null,
        run: newRun({ origin: 'cron', runAt: null }),
      });
      expect(result?.status).toBe('pending');
      expect((await store.scheduleGet({ jobName: jobA }))?.nextRunAt).toBeNull();
      expect(ms((await getRun(store, result!.runId)).runAt)).toBe(at(0));
    });

    it('deletes a schedule and keeps its runs', async () => {
      const { store } = current();
      await store.scheduleInsert({ schedule: newSchedule() });
      const result = await materialize(store, at(minute));
      expect(await store.scheduleDelete({ jobName: jobA })).toBe(true);
      expect(await store.scheduleDelete({ jobName: jobA })).toBe(false);
      expect(await store.scheduleGet({ jobName: jobA })).toBeUndefined();
      expect((await getRun(store, result!.runId)).status).toBe('pending');
    });
  });
}
