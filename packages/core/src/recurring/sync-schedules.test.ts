import type { StandardSchemaV1 } from '@standard-schema/spec';
import { describe, expect, it } from 'vitest';
import { createFakeClock, type FakeClock } from '../clock.js';
import { JobDefinitionError } from '../errors.js';
import { defineJob, type JobDefinition } from '../job-definition.js';
import { createMemoryStore } from '../memory/memory-store.js';
import type { ExistingJobBehavior, OrphanedJobBehavior } from '../options/durably-options.js';
import { resolveOptions } from '../options/resolve-options.js';
import { createJobRegistry } from '../registry/job-registry.js';
import { createScheduleAdmin } from '../services/schedule-admin.js';
import type { DurablyStore } from '../store.js';
import { orphanedScheduleNote, syncSchedules } from './sync-schedules.js';

const run = () => undefined;

function recurringJob(name: string, cron: string, extra: { enabled?: boolean; timeZone?: string; payload?: unknown; allowConcurrentRuns?: boolean } = {}) {
  return defineJob<unknown>({ name, recurring: { cron, ...extra }, run });
}

interface World {
  clock: FakeClock;
  store: DurablyStore;
}

function world(): World {
  const clock = createFakeClock('2026-04-01T08:10:00Z');
  return { clock, store: createMemoryStore({ clock }) };
}

function deploy(
  { clock, store }: World,
  jobs: JobDefinition<unknown>[],
  existingJobBehavior: ExistingJobBehavior = 'keep-database',
  orphanedJobBehavior: OrphanedJobBehavior = 'disable',
) {
  const options = resolveOptions({ recurring: { registrationSync: { existingJobBehavior, orphanedJobBehavior } } });
  const deps = { store, clock, options, registry: createJobRegistry(jobs) };
  return { deps, sync: () => syncSchedules(deps) };
}

const get = (w: World, jobName: string) => w.store.scheduleGet({ jobName });

describe('syncSchedules', () => {
  it('inserts new schedules from code with nextRunAt from the store now', async () => {
    const w = world();
    const report = await deploy(w, [
      recurringJob('a', '0 * * * *', { payload: { x: 1 }, allowConcurrentRuns: true }),
      recurringJob('b', '@daily', { enabled: false }),
    ]).sync();
    expect(report).toEqual({ inserted: ['a', 'b'], updated: [], kept: [], disabledOrphans: [], ignoredOrphans: [], keptDifferentFromCode: [] });
    expect(await get(w, 'a')).toMatchObject({
      cron: '0 * * * *',
      timeZone: 'UTC',
      enabled: true,
      allowConcurrentRuns: true,
      payload: { x: 1 },
      nextRunAt: new Date('2026-04-01T09:00:00Z'),
      updatedBy: 'code',
    });
    expect(await get(w, 'b')).toMatchObject({ enabled: false, nextRunAt: null, payload: null });
  });

  it('is a no-op on a second start with the same code', async () => {
    const w = world();
    const jobs = [recurringJob('a', '0 * * * *')];
    await deploy(w, jobs).sync();
    const before = await get(w, 'a');
    w.clock.advance(60 * 60_000); // the 09:00 slot is due during the restart and must survive it
    for (const behavior of ['keep-database', 'update-from-code'] as const) {
      const report = await deploy(w, jobs, behavior).sync();
      expect(report.kept).toEqual(['a']);
      expect(await get(w, 'a')).toEqual(before);
    }
  });

  describe.each([
    ['keep-database', 'disable'],
    ['keep-database', 'ignore'],
    ['update-from-code', 'disable'],
    ['update-from-code', 'ignore'],
  ] as const)('existing %s, orphaned %s', (existing, orphaned) => {
    it('handles a changed definition and an orphan', async () => {
      const w = world();
      await deploy(w, [recurringJob('a', '0 * * * *', { payload: { v: 1 } }), recurringJob('gone', '@hourly')]).sync();
      const changed = recurringJob('a', '*/15 * * * *', { timeZone: 'Asia/Tokyo', enabled: false, payload: { v: 2 }, allowConcurrentRuns: true });
      const report = await deploy(w, [changed], existing, orphaned).sync();

      const a = await get(w, 'a');
      // Code is the only source of the payload and allowConcurrentRuns, so both behaviours refresh them.
      expect(a).toMatchObject({ payload: { v: 2 }, allowConcurrentRuns: true });
      if (existing === 'keep-database') {
        expect(a).toMatchObject({ cron: '0 * * * *', timeZone: 'UTC', enabled: true, nextRunAt: new Date('2026-04-01T09:00:00Z') });
      } else {
        expect(a).toMatchObject({ cron: '*/15 * * * *', timeZone: 'Asia/Tokyo', enabled: false, nextRunAt: null, updatedBy: 'code' });
      }
      expect(report.updated).toEqual(['a']);
      expect(report.keptDifferentFromCode).toEqual(existing === 'keep-database' ? ['a'] : []);

      const gone = await get(w, 'gone');
      if (orphaned === 'disable') {
        expect(gone).toMatchObject({ enabled: false, nextRunAt: null, lastError: orphanedScheduleNote });
        expect(report).toMatchObject({ disabledOrphans: ['gone'], ignoredOrphans: [] });
      } else {
        expect(gone).toMatchObject({ enabled: true, nextRunAt: new Date('2026-04-01T09:00:00Z') });
        expect(report).toMatchObject({ disabledOrphans: [], ignoredOrphans: ['gone'] });
      }
    });
  });

  it('keeps admin overrides under keep-database and overwrites them under update-from-code', async () => {
    const w = world();
    const jobs = [recurringJob('a', '0 * * * *'), recurringJob('b', '0 * * * *')];
    const first = deploy(w, jobs);
    await first.sync();
    const admin = createScheduleAdmin(first.deps);
    await admin.updateCron('a', '*/5 * * * *', 'Europe/Paris');
    await admin.setEnabled('b', false);

    const kept = await deploy(w, jobs, 'keep-database').sync();
    expect(kept.kept).toEqual(['a', 'b']);
    expect(kept.keptDifferentFromCode).toEqual(['a', 'b']);
    expect(await get(w, 'a')).toMatchObject({ cron: '*/5 * * * *', timeZone: 'Europe/Paris', updatedBy: 'admin' });
    expect(await get(w, 'b')).toMatchObject({ enabled: false, nextRunAt: null, updatedBy: 'admin' });

    const overwritten = await deploy(w, jobs, 'update-from-code').sync();
    expect(overwritten.updated).toEqual(['a', 'b']);
    expect(overwritten.keptDifferentFromCode).toEqual([]);
    expect(await get(w, 'a')).toMatchObject({ cron: '0 * * * *', timeZone: 'UTC', updatedBy: 'code', nextRunAt: new Date('2026-04-01T09:00:00Z') });
    expect(await get(w, 'b')).toMatchObject({ enabled: true, updatedBy: 'code', nextRunAt: new Date('2026-04-01T09:00:00Z') });
  });

  it('treats a rename as an orphan plus a new schedule', async () => {
    const w = world();
    await deploy(w, [recurringJob('reports.old', '0 3 * * *')]).sync();
    const report = await deploy(w, [recurringJob('reports.new', '0 3 * * *')]).sync();
    expect(report).toMatchObject({ inserted: ['reports.new'], disabledOrphans: ['reports.old'] });
    expect(await get(w, 'reports.old')).toMatchObject({ enabled: false, nextRunAt: null });
    expect(await get(w, 'reports.new')).toMatchObject({ enabled: true, nextRunAt: new Date('2026-04-02T03:00:00Z') });
  });

  it('enables a schedule again when its job returns after sync disabled it, but not one an admin disabled', async () => {
    const w = world();
    const jobs = [recurringJob('a', '0 * * * *'), recurringJob('b', '0 * * * *')];
    const first = deploy(w, jobs);
    await first.sync();
    await createScheduleAdmin(first.deps).setEnabled('b', false);
    await deploy(w, []).sync(); // both orphaned; 'a' disabled by sync, 'b' already disabled by the admin
    expect((await get(w, 'a'))?.lastError).toBe(orphanedScheduleNote);
    w.clock.advance(2 * 60 * 60_000);
    const report = await deploy(w, jobs).sync();
    expect(report.updated).toEqual(['a']);
    expect(await get(w, 'a')).toMatchObject({ enabled: true, lastError: null, nextRunAt: new Date('2026-04-01T11:00:00Z') });
    expect(await get(w, 'b')).toMatchObject({ enabled: false, nextRunAt: null });
  });

  it('treats a job that is no longer recurring as an orphan', async () => {
    const w = world();
    await deploy(w, [recurringJob('a', '@hourly')]).sync();
    const report = await deploy(w, [defineJob({ name: 'a', run })]).sync();
    expect(report.disabledOrphans).toEqual(['a']);
  });

  it('is safe when several workers sync at once', async () => {
    const w = world();
    const jobs = [recurringJob('a', '0 * * * *'), recurringJob('b', '@daily')];
    const reports = await Promise.all([1, 2, 3].map(() => deploy(w, jobs).sync()));
    expect(reports.flatMap((report) => report.inserted).sort()).toEqual(['a', 'b']);
    expect(reports.flatMap((report) => report.kept)).toHaveLength(4);
    expect(await w.store.scheduleList({ includeDisabled: true })).toHaveLength(2);
  });

  it('checks asynchronous recurring payload schemas before writing anything', async () => {
    const w = world();
    const schema: StandardSchemaV1<unknown, { region: string }> = {
      '~standard': {
        version: 1,
        vendor: 'test',
        validate: async (value) =>
          typeof (value as { region?: unknown })?.region === 'string'
            ? { value: value as { region: string } }
            : { issues: [{ message: 'region must be a string', path: ['region'] }] },
      },
    };
    const ok = recurringJob('ok', '@hourly');
    const bad = defineJob({ name: 'bad', schema, recurring: { cron: '@hourly', payload: { region: 5 as unknown as string } }, run });
    const error = await deploy(w, [ok, bad as JobDefinition<unknown>]).sync().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(JobDefinitionError);
    expect(error).toMatchObject({ jobName: 'bad', field: 'recurring.payload' });
    expect(await w.store.scheduleList({ includeDisabled: true })).toHaveLength(0);
  });
});
