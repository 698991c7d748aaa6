import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createFakeClock } from '../clock.js';
import { InvalidArgumentError, PayloadError, ScheduleError, ScheduleNotFoundError, UnknownJobError } from '../errors.js';
import { defineJob } from '../job-definition.js';
import { createMemoryStore } from '../memory/memory-store.js';
import { resolveOptions } from '../options/resolve-options.js';
import { syncSchedules } from '../recurring/sync-schedules.js';
import { createJobRegistry } from '../registry/job-registry.js';
import { createScheduleAdmin } from './schedule-admin.js';

const run = () => undefined;
const hourly = defineJob({
  name: 'metrics.hourly',
  schema: z.object({ region: z.string() }),
  priority: 2,
  queue: 'metrics',
  recurring: { cron: '0 * * * *', payload: { region: 'eu' } },
  run,
});
const nightly = defineJob({ name: 'reports.nightly', recurring: { cron: '0 3 * * *', timeZone: 'Europe/Berlin', enabled: false }, run });

async function setup() {
  const clock = createFakeClock('2026-03-01T10:20:00Z');
  const store = createMemoryStore({ clock });
  const registry = createJobRegistry([hourly, nightly]);
  const deps = { store, registry, options: resolveOptions(), clock };
  await syncSchedules(deps);
  return { clock, store, admin: createScheduleAdmin(deps) };
}

describe('ScheduleAdmin', () => {
  it('lists enabled schedules, or all, with description and upcoming slots', async () => {
    const { admin } = await setup();
    const enabled = await admin.list();
    expect(enabled.map((view) => view.jobName)).toEqual(['metrics.hourly']);
    const [view] = enabled;
    expect(view?.description).toBe(createJobRegistry([hourly]).schedule('metrics.hourly')?.describe());
    expect(view?.definedInCode).toBe(true);
    expect(view?.upcoming.map((date) => date.toISOString())).toEqual([
      '2026-03-01T11:00:00.000Z',
      '2026-03-01T12:00:00.000Z',
      '2026-03-01T13:00:00.000Z',
    ]);
    const all = await admin.list({ includeDisabled: true, upcomingCount: 1 });
    expect(all.map((item) => [item.jobName, item.enabled, item.upcoming.length])).toEqual([
      ['metrics.hourly', true, 1],
      ['reports.nightly', false, 0],
    ]);
  });

  it('disables (clearing nextRunAt) and re-enables from the store now', async () => {
    const { admin, store, clock } = await setup();
    const disabled = await admin.setEnabled('metrics.hourly', false);
    expect(disabled).toMatchObject({ enabled: false, nextRunAt: null, updatedBy: 'admin' });
    clock.advance(3 * 3_600_000); // 13:20: the slots missed while disabled are not replayed.
    const enabled = await admin.setEnabled('metrics.hourly', true);
    expect(enabled.enabled).toBe(true);
    expect(enabled.nextRunAt?.toISOString()).toBe('2026-03-01T14:00:00.000Z');
    expect((await store.scheduleGet({ jobName: 'metrics.hourly' }))?.nextRunAt).toEqual(enabled.nextRunAt);
  });

  it('leaves an enabled schedule with a next slot as it is when enabled again', async () => {
    const { admin, clock } = await setup();
    clock.advance(2 * 3_600_000); // the 11:00 slot is due and must not be skipped by a redundant enable
    const again = await admin.setEnabled('metrics.hourly', true);
    expect(again.nextRunAt?.toISOString()).toBe('2026-03-01T11:00:00.000Z');
    expect(again.updatedBy).toBe('code');
  });

  it('updates the cron and zone, recomputing nextRunAt when enabled', async () => {
    const { admin } = await setup();
    const updated = await admin.updateCron('metrics.hourly', ' */15 * * * * ', 'America/New_York');
    expect(updated).toMatchObject({ cron: '*/15 * * * *', timeZone: 'America/New_York', updatedBy: 'admin' });
    expect(updated.nextRunAt?.toISOString()).toBe('2026-03-01T10:30:00.000Z');
    const disabled = await admin.updateCron('reports.nightly', '0 4 * * *');
    expect(disabled).toMatchObject({ cron: '0 4 * * *', timeZone: 'Europe/Berlin', nextRunAt: null });
  });

  it('rejects an invalid cron or zone and leaves the schedule unchanged', async () => {
    const { admin, store } = await setup();
    const before = await store.scheduleGet({ jobName: 'metrics.hourly' });
    await expect(admin.updateCron('metrics.hourly', 'every blue moon')).rejects.toBeInstanceOf(ScheduleError);
    const zoneError = await admin.updateCron('metrics.hourly', '0 * * * *', 'EST').catch((e: unknown) => e);
    expect(zoneError).toBeInstanceOf(ScheduleError);
    expect((zoneError as ScheduleError).field).toBe('timeZone');
    expect(await store.scheduleGet({ jobName: 'metrics.hourly' })).toEqual(before);
  });

  it('runs a schedule now without touching it', async () => {
    const { admin, store } = await setup();
    const before = await store.scheduleGet({ jobName: 'metrics.hourly' });
    const runId = await admin.runNow('metrics.hourly');
    expect(await store.runGet({ runId })).toMatchObject({
      jobName: 'metrics.hourly',
      origin: 'run-now',
      payload: { region: 'eu' },
      queue: 'metrics',
      priority: 2,
      status: 'pending',
      slotAt: null,
    });
    expect(await store.scheduleGet({ jobName: 'metrics.hourly' })).toEqual(before);
  });

  it('refuses run-now for a schedule whose job is not in code or whose stored payload is now invalid', async () => {
    const { admin, store, clock } = await setup();
    await store.scheduleInsert({
      schedule: {
        jobName: 'old.job',
        cron: '@daily',
        timeZone: 'UTC',
        enabled: true,
        allowConcurrentRuns: false,
        payloadJson: 'null',
        nextRunAt: clock.now(),
        updatedBy: 'code',
      },
    });
    await expect(admin.runNow('old.job')).rejects.toBeInstanceOf(UnknownJobError);
    await store.scheduleUpdate({ jobName: 'metrics.hourly', payloadJson: '{"region":1}', updatedBy: 'code' });
    await expect(admin.runNow('metrics.hourly')).rejects.toBeInstanceOf(PayloadError);
    expect((await store.runList({ limit: 10 })).runs).toHaveLength(0);
  });

  it('previews the next occurrences in the schedule zone', async () => {
    const { admin } = await setup();
    const preview = await admin.preview('reports.nightly', 2);
    // 03:00 in Berlin is 02:00Z in winter.
    expect(preview.map((date) => date.toISOString())).toEqual(['2026-03-02T02:00:00.000Z', '2026-03-03T02:00:00.000Z']);
    expect(await admin.preview('metrics.hourly')).toHaveLength(5);
    await expect(admin.preview('metrics.hourly', 0)).rejects.toBeInstanceOf(InvalidArgumentError);
    await expect(admin.preview('metrics.hourly', 101)).rejects.toBeInstanceOf(InvalidArgumentError);
  });

  it('deletes a schedule', async () => {
    const { admin, store } = await setup();
    await admin.delete('reports.nightly');
    expect(await store.scheduleGet({ jobName: 'reports.nightly' })).toBeUndefined();
    await expect(admin.delete('reports.nightly')).rejects.toBeInstanceOf(ScheduleNotFoundError);
  });

  it('throws ScheduleNotFoundError for unknown names on every operation', async () => {
    const { admin } = await setup();
    const calls = [
      () => admin.setEnabled('missing', true),
      () => admin.updateCron('missing', '@daily'),
      () => admin.runNow('missing'),
      () => admin.preview('missing'),
      () => admin.delete('missing'),
    ];
    for (const call of calls) await expect(call()).rejects.toBeInstanceOf(ScheduleNotFoundError);
    await expect(admin.setEnabled('metrics.hourly', 'yes' as never)).rejects.toBeInstanceOf(InvalidArgumentError);
  });
});
