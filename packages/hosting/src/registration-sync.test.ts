import { createFakeClock, createMemoryStore, defineJob, type DurablyStore } from '@durably/core';
import { afterEach, describe, expect, it } from 'vitest';
import { createDurably, type Durably } from './create-durably.js';
import { silentLogger } from '@durably/worker';

const instances: Durably[] = [];
afterEach(async () => {
  for (const durably of instances.splice(0)) await durably.stop({ graceMs: 10, closeStore: false });
});

const clock = createFakeClock('2026-01-01T00:00:00Z');

/** One "deployment": a createDurably over the shared store with these jobs and options. */
async function deploy(store: DurablyStore, jobs: Parameters<typeof createDurably>[0]['jobs'], options: object = {}) {
  const durably = await createDurably({
    store, jobs, clock, env: {}, handleSignals: false, startWorker: false, logger: silentLogger, ...options,
  });
  instances.push(durably);
  return durably;
}

describe('registration sync at startup', () => {
  const v1 = defineJob({ name: 'report', recurring: { cron: '0 3 * * *' }, run: () => {} });
  const v2 = defineJob({ name: 'report', recurring: { cron: '0 4 * * *' }, run: () => {} });

  it('keep-database (default): an admin override survives a redeploy with changed code', async () => {
    const store = createMemoryStore({ clock });
    const first = await deploy(store, [v1]);
    expect(first.syncReport?.inserted).toEqual(['report']);
    await first.schedules.updateCron('report', '30 5 * * *');
    await first.stop({ closeStore: false });

    const second = await deploy(store, [v2]);
    expect(second.syncReport?.kept.concat(second.syncReport.updated)).toContain('report');
    expect((await store.scheduleGet({ jobName: 'report' }))?.cron).toBe('30 5 * * *');
  });

  it('update-from-code: the code wins on redeploy', async () => {
    const store = createMemoryStore({ clock });
    const first = await deploy(store, [v1]);
    await first.schedules.updateCron('report', '30 5 * * *');
    await first.stop({ closeStore: false });

    const second = await deploy(store, [v2], { recurring: { registrationSync: { existingJobBehavior: 'update-from-code' } } });
    expect(second.syncReport?.updated).toEqual(['report']);
    const schedule = await store.scheduleGet({ jobName: 'report' });
    expect([schedule?.cron, schedule?.nextRunAt?.toISOString()]).toEqual(['0 4 * * *', '2026-01-01T04:00:00.000Z']);
  });

  it('orphans are disabled by default, ignored on request', async () => {
    const store = createMemoryStore({ clock });
    await (await deploy(store, [v1])).stop({ closeStore: false });
    const other = defineJob({ name: 'other', run: () => {} });

    const ignoring = await deploy(store, [other], { recurring: { registrationSync: { orphanedJobBehavior: 'ignore' } } });
    expect(ignoring.syncReport?.ignoredOrphans).toEqual(['report']);
    expect((await store.scheduleGet({ jobName: 'report' }))?.enabled).toBe(true);
    await ignoring.stop({ closeStore: false });

    const disabling = await deploy(store, [other]);
    expect(disabling.syncReport?.disabledOrphans).toEqual(['report']);
    const schedule = await store.scheduleGet({ jobName: 'report' });
    expect([schedule?.enabled, schedule?.nextRunAt]).toEqual([false, null]);
  });
});
