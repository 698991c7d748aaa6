import { createScheduleAdmin, defineJob, syncSchedules, type AnyJobDefinition, type DurablyOptions } from '@durably/core';
import { afterEach, describe, expect, it } from 'vitest';
import { createHarness, deferred, stopAndCheck, type Harness } from './test-support/harness.js';

let harness: Harness | undefined;
afterEach(async () => {
  if (harness) await stopAndCheck(harness.worker, 100);
  harness = undefined;
});

async function setUp(jobs: AnyJobDefinition[], start: string, options: DurablyOptions = {}): Promise<Harness> {
  harness = createHarness({ jobs, start, options });
  await syncSchedules({ store: harness.store, registry: harness.registry, options: harness.options, clock: harness.clock });
  return harness;
}

/** Slots of the runs materialised for a job, as ISO strings, oldest first. */
async function slots(h: Harness, jobName: string): Promise<string[]> {
  const page = await h.store.runList({ jobName, limit: 1000 });
  return page.runs.map((run) => run.slotAt!.toISOString()).sort();
}

/** Moves the fake clock in steps of `stepMs` until `until`, running one loop iteration per step. */
async function runThrough(h: Harness, until: string, stepMs: number): Promise<void> {
  const end = new Date(until).getTime();
  while (h.clock.now().getTime() < end) {
    h.clock.advance(stepMs);
    await h.worker.drain();
  }
}

describe('recurring schedules through the worker', () => {
  it('fires a fixed local time once at the first valid instant on the spring-forward day (New York)', async () => {
    const job = defineJob({ name: 'nightly', recurring: { cron: '30 2 * * *', timeZone: 'America/New_York' }, run: () => {} });
    const h = await setUp([job], '2026-03-06T12:00:00Z');
    await runThrough(h, '2026-03-10T12:00:00Z', 15 * 60_000);
    // 02:30 EST = 07:30Z; on 2026-03-08 02:30 does not exist: it runs at 03:00 EDT = 07:00Z.
    expect(await slots(h, 'nightly')).toEqual([
      '2026-03-07T07:30:00.000Z',
      '2026-03-08T07:00:00.000Z',
      '2026-03-09T06:30:00.000Z',
      '2026-03-10T06:30:00.000Z',
    ]);
    expect((await h.store.runCountByStatus({ jobName: 'nightly' })).succeeded).toBe(4);
  });

  it('fires a fixed local time once, at its first occurrence, on the fall-back day', async () => {
    const job = defineJob({ name: 'early', recurring: { cron: '30 1 * * *', timeZone: 'America/New_York' }, run: () => {} });
    const h = await setUp([job], '2026-10-31T12:00:00Z');
    await runThrough(h, '2026-11-02T12:00:00Z', 15 * 60_000);
    expect(await slots(h, 'early')).toEqual(['2026-11-01T05:30:00.000Z', '2026-11-02T06:30:00.000Z']);
  });

  it('an hourly job fires 23 times on the spring-forward day and 25 times on the fall-back day', async () => {
    const job = defineJob({ name: 'hourly', recurring: { cron: '0 * * * *', timeZone: 'America/New_York' }, run: () => {} });
    let h = await setUp([job], '2026-03-08T04:59:00Z'); // 23:59 local, the day before
    await runThrough(h, '2026-03-09T03:59:00Z', 10 * 60_000); // local midnight to 23:59
    expect(await slots(h, 'hourly')).toHaveLength(23);
    await stopAndCheck(h.worker);

    h = await setUp([job], '2026-11-01T03:59:00Z');
    await runThrough(h, '2026-11-02T04:59:00Z', 10 * 60_000);
    expect(await slots(h, 'hourly')).toHaveLength(25);
  });

  it('skip-missed: after downtime, runs the latest missed slot once and continues with future slots', async () => {
    const job = defineJob({ name: 'h', recurring: { cron: '0 * * * *' }, run: () => {} });
    const h = await setUp([job], '2026-01-01T00:30:00Z');
    h.clock.set('2026-01-01T05:10:00Z'); // down from 00:30 to 05:10: slots 01:00 … 05:00 missed
    await h.worker.drain();
    expect(await slots(h, 'h')).toEqual(['2026-01-01T05:00:00.000Z']);
    expect((await h.store.scheduleGet({ jobName: 'h' }))?.nextRunAt?.toISOString()).toBe('2026-01-01T06:00:00.000Z');
  });

  it('catch-up: replays every missed slot, one per loop iteration, oldest first', async () => {
    const job = defineJob({ name: 'h', recurring: { cron: '0 * * * *' }, run: () => {} });
    const h = await setUp([job], '2026-01-01T00:30:00Z', { recurring: { catchUpPolicy: 'catch-up' } });
    h.clock.set('2026-01-01T05:10:00Z');
    const first = await h.worker.runOnce();
    expect(first.materialized).toBe(1);
    await h.worker.drain();
    expect(await slots(h, 'h')).toEqual([
      '2026-01-01T01:00:00.000Z',
      '2026-01-01T02:00:00.000Z',
      '2026-01-01T03:00:00.000Z',
      '2026-01-01T04:00:00.000Z',
      '2026-01-01T05:00:00.000Z',
    ]);
  });

  it('records a slot as skipped while a non-concurrent run is still active, and emits job_skipped', async () => {
    const release = deferred();
    const job = defineJob({ name: 'busy', recurring: { cron: '* * * * *' }, run: () => release.promise });
    const h = await setUp([job], '2026-01-01T00:00:30Z');
    h.clock.set('2026-01-01T00:01:00Z');
    await h.worker.runOnce(); // materialises 00:01 and starts it
    h.clock.set('2026-01-01T00:02:00Z');
    await h.worker.runOnce(); // 00:02 while 00:01 runs
    const page = await h.store.runList({ jobName: 'busy', limit: 10 });
    const bySlot = Object.fromEntries(page.runs.map((run) => [run.slotAt!.toISOString(), run.status]));
    expect(bySlot).toEqual({ '2026-01-01T00:01:00.000Z': 'leased', '2026-01-01T00:02:00.000Z': 'skipped' });
    expect(h.events.filter((event) => event.type === 'job_skipped')).toHaveLength(1);
    release.resolve();
    await h.worker.whenIdle();
  });

  it('runs overlapping slots when allowConcurrentRuns is set', async () => {
    const release = deferred();
    const job = defineJob({ name: 'overlap', recurring: { cron: '* * * * *', allowConcurrentRuns: true }, run: () => release.promise });
    const h = await setUp([job], '2026-01-01T00:00:30Z');
    h.clock.set('2026-01-01T00:01:00Z');
    await h.worker.runOnce();
    h.clock.set('2026-01-01T00:02:00Z');
    await h.worker.runOnce();
    expect((await h.store.runCountByStatus({ jobName: 'overlap' })).leased).toBe(2);
    release.resolve();
    await h.worker.whenIdle();
  });

  it('an error in one schedule pauses that schedule only', async () => {
    const good = defineJob({ name: 'good', recurring: { cron: '*/5 * * * *' }, run: () => {} });
    const broken = defineJob({ name: 'broken', recurring: { cron: '*/5 * * * *' }, run: () => {} });
    const h = await setUp([good, broken], '2026-01-01T00:01:00Z');
    // The stored copy went bad (say, a zone removed from the tz database after it was saved).
    await h.store.scheduleUpdate({ jobName: 'broken', timeZone: 'Mars/Olympus_Mons', updatedBy: 'admin' });
    h.clock.set('2026-01-01T00:05:00Z');
    const result = await h.worker.drain();
    expect(result.runs).toBe(1);
    expect(await slots(h, 'good')).toEqual(['2026-01-01T00:05:00.000Z']);
    const paused = await h.store.scheduleGet({ jobName: 'broken' });
    expect(paused?.nextRunAt).toBeNull();
    expect(paused?.lastError).toContain('Paused by worker');
    expect(paused?.updatedBy).toBe('admin');
    h.clock.set('2026-01-01T00:10:00Z');
    await h.worker.drain();
    expect(await slots(h, 'good')).toHaveLength(2);
  });

  it('materialises each slot once across two workers', async () => {
    const job = defineJob({ name: 'once', recurring: { cron: '* * * * *' }, run: () => {} });
    const h = await setUp([job], '2026-01-01T00:00:30Z');
    const { createWorker } = await import('./create-worker.js');
    const other = createWorker({ store: h.store, registry: h.registry, clock: h.clock, options: { ...h.options, workerName: 'w2' } });
    for (let minute = 1; minute <= 5; minute += 1) {
      h.clock.set(`2026-01-01T00:0${minute}:00Z`);
      await Promise.all([h.worker.drain(), other.drain()]);
    }
    expect(await slots(h, 'once')).toHaveLength(5);
    await stopAndCheck(other);
  });

  it('follows schedule admin changes: disable, enable from now, re-cron, run-now', async () => {
    const job = defineJob({ name: 'admin', recurring: { cron: '0 * * * *' }, run: () => {} });
    const h = await setUp([job], '2026-01-01T00:30:00Z');
    const admin = createScheduleAdmin({ store: h.store, registry: h.registry, options: h.options, clock: h.clock });
    await admin.setEnabled('admin', false);
    h.clock.set('2026-01-01T03:30:00Z');
    await h.worker.drain();
    expect(await slots(h, 'admin')).toEqual([]); // nothing while disabled

    await admin.setEnabled('admin', true); // recomputed from now: 01:00–03:00 are not replayed
    h.clock.set('2026-01-01T04:00:00Z');
    await h.worker.drain();
    expect(await slots(h, 'admin')).toEqual(['2026-01-01T04:00:00.000Z']);

    await admin.updateCron('admin', '*/15 * * * *');
    h.clock.set('2026-01-01T04:15:00Z');
    await h.worker.drain();
    expect(await slots(h, 'admin')).toEqual(['2026-01-01T04:00:00.000Z', '2026-01-01T04:15:00.000Z']);

    const adHoc = await admin.runNow('admin');
    await h.worker.drain();
    const run = await h.run(adHoc);
    expect([run.status, run.origin, run.slotAt]).toEqual(['succeeded', 'run-now', null]);
    expect((await h.store.scheduleGet({ jobName: 'admin' }))?.nextRunAt?.toISOString()).toBe('2026-01-01T04:30:00.000Z');
  });
});
