import { newRun } from '@durably/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { call, createAdminFixture, type AdminFixture, type StoreFactory } from './admin-fixture.js';

const nightly = '/admin/api/schedules/report.nightly';

/** API tests of the schedule routes, for one provider. */
export function scheduleApiCases(provider: string, factory: StoreFactory): void {
  describe(`admin API schedules (${provider})`, () => {
    let fx: AdminFixture;
    beforeEach(async () => {
      fx = await createAdminFixture(factory);
    });
    afterEach(async () => {
      await fx.destroy();
    });

    it('lists schedules with cron, zone, description, next occurrences and last outcome', async () => {
      const response = await call(fx.handler, 'GET', '/admin/api/schedules');
      expect(response.status).toBe(200);
      expect(response.json.schedules).toHaveLength(1);
      const schedule = response.json.schedules[0];
      expect(schedule).toMatchObject({ jobName: 'report.nightly', cron: '0 3 * * *', timeZone: 'Europe/Berlin', enabled: true, lastOutcome: null, definedInCode: true });
      expect(schedule.description).toMatch(/03:00/);
      // 03:00 in Berlin (CET, UTC+1) is 02:00Z; the fixture's now is 2026-03-01T10:00Z.
      expect(schedule.upcoming).toEqual([
        '2026-03-02T02:00:00.000Z',
        '2026-03-03T02:00:00.000Z',
        '2026-03-04T02:00:00.000Z',
        '2026-03-05T02:00:00.000Z',
        '2026-03-06T02:00:00.000Z',
      ]);
      expect((await call(fx.handler, 'GET', nightly)).json.schedule.jobName).toBe('report.nightly');
      expect((await call(fx.handler, 'GET', '/admin/api/schedules/unknown.job')).status).toBe(404);
    });

    it('reports the last outcome once a slot ran', async () => {
      const slot = new Date('2026-03-02T02:00:00Z');
      const stored = await fx.store.scheduleGet({ jobName: 'report.nightly' });
      const run = newRun({ jobName: 'report.nightly', payloadJson: 'null', maxAttempts: 1, runAt: slot, origin: 'cron' });
      const result = await fx.store.scheduleMaterialize({ jobName: 'report.nightly', expectedNextRunAt: stored!.nextRunAt!, slotAt: slot, nextRunAt: new Date('2026-03-03T02:00:00Z'), run });
      const schedule = (await call(fx.handler, 'GET', nightly)).json.schedule;
      expect(schedule.lastOutcome).toEqual({ runId: result!.runId, status: 'pending', finishedAt: null });
    });

    it('disables and enables a schedule', async () => {
      const disabled = await call(fx.handler, 'POST', `${nightly}/disable`);
      expect(disabled.status).toBe(200);
      expect(disabled.json.schedule).toMatchObject({ enabled: false, nextRunAt: null, upcoming: [] });
      expect((await fx.store.scheduleGet({ jobName: 'report.nightly' }))?.enabled).toBe(false);
      const enabled = await call(fx.handler, 'POST', `${nightly}/enable`);
      expect(enabled.json.schedule).toMatchObject({ enabled: true, nextRunAt: '2026-03-02T02:00:00.000Z', updatedBy: 'admin' });
      expect(fx.audits.map((event) => [event.action, event.target, event.outcome])).toEqual([
        ['schedule.disable', 'report.nightly', 'succeeded'],
        ['schedule.enable', 'report.nightly', 'succeeded'],
      ]);
      expect((await call(fx.handler, 'POST', '/admin/api/schedules/unknown.job/disable')).status).toBe(404);
    });

    it('changes cron and zone; 400 with the reason for an invalid cron or zone', async () => {
      const changed = await call(fx.handler, 'POST', `${nightly}/cron`, { body: { cron: '30 4 * * *', timeZone: 'America/New_York' } });
      expect(changed.status).toBe(200);
      expect(changed.json.schedule).toMatchObject({ cron: '30 4 * * *', timeZone: 'America/New_York', nextRunAt: '2026-03-02T09:30:00.000Z' });
      expect(fx.audits[0]).toMatchObject({ action: 'schedule.update', details: { cron: '30 4 * * *', timeZone: 'America/New_York' } });
      const badCron = await call(fx.handler, 'POST', `${nightly}/cron`, { body: { cron: '61 * * * *' } });
      expect(badCron.status).toBe(400);
      expect(badCron.json.error.code).toBe('invalid_schedule');
      expect(badCron.json.error.message).toMatch(/minute|61/i);
      const badZone = await call(fx.handler, 'POST', `${nightly}/cron`, { body: { cron: '0 3 * * *', timeZone: 'Mars/Olympus' } });
      expect(badZone.status).toBe(400);
      expect(badZone.json.error.message).toMatch(/Mars\/Olympus/);
      const windowsZone = await call(fx.handler, 'POST', `${nightly}/cron`, { body: { cron: '0 3 * * *', timeZone: 'Eastern Standard Time' } });
      expect(windowsZone.status).toBe(400);
      expect(windowsZone.json.error.message).toMatch(/America\/New_York/);
      expect((await call(fx.handler, 'POST', `${nightly}/cron`, { body: {} })).status).toBe(400);
      expect((await call(fx.handler, 'POST', `${nightly}/cron`, { body: { cron: '0 3 * * *', timeZone: 5 } })).status).toBe(400);
      expect((await fx.store.scheduleGet({ jobName: 'report.nightly' }))?.cron).toBe('30 4 * * *');
      expect((await call(fx.handler, 'POST', '/admin/api/schedules/unknown.job/cron', { body: { cron: '0 3 * * *' } })).status).toBe(404);
    });

    it('runs a schedule now without touching it; 409 when the job is not in the registry', async () => {
      const before = await fx.store.scheduleGet({ jobName: 'report.nightly' });
      const response = await call(fx.handler, 'POST', `${nightly}/run-now`);
      expect(response.status).toBe(200);
      const run = await fx.store.runGet({ runId: response.json.runId });
      expect(run).toMatchObject({ jobName: 'report.nightly', origin: 'run-now', status: 'pending' });
      expect((await fx.store.scheduleGet({ jobName: 'report.nightly' }))?.nextRunAt).toEqual(before?.nextRunAt);
      expect(fx.audits[0]).toMatchObject({ action: 'schedule.run-now', details: { runId: response.json.runId } });
      const noRegistry = fx.makeHandler({ registry: undefined });
      const refused = await call(noRegistry, 'POST', `${nightly}/run-now`);
      expect(refused.status).toBe(409);
      expect(refused.json.error.code).toBe('unknown_job');
    });

    it('deletes a schedule; 404 afterwards', async () => {
      expect((await call(fx.handler, 'DELETE', nightly)).status).toBe(200);
      expect(await fx.store.scheduleGet({ jobName: 'report.nightly' })).toBeUndefined();
      expect((await call(fx.handler, 'DELETE', nightly)).status).toBe(404);
    });

    it('rejects malformed and oversized bodies with 400', async () => {
      expect((await call(fx.handler, 'POST', `${nightly}/cron`, { body: '{"cron": ' })).status).toBe(400);
      expect((await call(fx.handler, 'POST', `${nightly}/cron`, { body: '["0 3 * * *"]' })).status).toBe(400);
      const big = await call(fx.handler, 'POST', `${nightly}/cron`, { body: { cron: '0 3 * * *', padding: 'x'.repeat(70 * 1024) } });
      expect(big.status).toBe(400);
      expect(big.json.error.code).toBe('body_too_large');
      expect((await fx.store.scheduleGet({ jobName: 'report.nightly' }))?.cron).toBe('0 3 * * *');
    });
  });
}
