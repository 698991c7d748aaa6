import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { call, createAdminFixture, type AdminFixture, type StoreFactory } from './admin-fixture.js';

/** Stats, throughput, health and dashboard files, for one provider. */
export function statsApiCases(provider: string, factory: StoreFactory): void {
  describe(`admin API stats and dashboard (${provider})`, () => {
    let fx: AdminFixture;
    beforeEach(async () => {
      fx = await createAdminFixture(factory);
    });
    afterEach(async () => {
      await fx.destroy();
    });

    it('counts runs by status in total, per job and per queue', async () => {
      const { json, status } = await call(fx.handler, 'GET', '/admin/api/stats', { role: 'read' });
      expect(status).toBe(200);
      expect(json.counts).toMatchObject({ pending: 2, leased: 1, failed: 1, succeeded: 0 });
      expect(json.total).toBe(4);
      expect(json.byJob['email.send']).toMatchObject({ pending: 1, leased: 1, failed: 1 });
      expect(json.byJob['report.build']).toMatchObject({ pending: 1 });
      expect(Object.keys(json.byJob)).toEqual(['email.send', 'report.build', 'report.nightly']);
      expect(json.byQueue.reports).toMatchObject({ pending: 1 });
      expect(json.byQueue.default).toMatchObject({ pending: 1, leased: 1, failed: 1 });
    });

    it('reports the oldest due run with its age, and workers with their heartbeat age', async () => {
      const { json } = await call(fx.handler, 'GET', '/admin/api/stats');
      // The report run was due at 10:00:01; the fixture's clock stands at 10:00:06.
      expect(json.oldestDue).toMatchObject({ runId: fx.runs.pending, jobName: 'report.build', ageMs: 5_000 });
      expect(json.workers).toEqual([expect.objectContaining({ workerName: 'w1', activeRuns: 1, heartbeatAgeMs: 5_000 })]);
      fx.clock.advance(60_000);
      const later = (await call(fx.handler, 'GET', '/admin/api/stats')).json;
      expect(later.oldestDue.ageMs).toBe(65_000);
      expect(later.workers[0].heartbeatAgeMs).toBe(65_000);
    });

    it('buckets finished runs per hour with a failure rate', async () => {
      const { json } = await call(fx.handler, 'GET', '/admin/api/stats/throughput?hours=3');
      expect(json.hours).toBe(3);
      expect(json.buckets.map((bucket: { hour: string }) => bucket.hour)).toEqual(['2026-03-01T08:00:00.000Z', '2026-03-01T09:00:00.000Z', '2026-03-01T10:00:00.000Z']);
      expect(json.buckets[2]).toMatchObject({ failed: 1, succeeded: 0, failureRate: 1 });
      expect(json.buckets[0]).toMatchObject({ failed: 0, failureRate: null });
      expect((await call(fx.handler, 'GET', '/admin/api/stats/throughput?hours=99999')).json.hours).toBe(168);
      expect((await call(fx.handler, 'GET', '/admin/api/stats/throughput?hours=x')).status).toBe(400);
    });

    it('answers health with the provider and never a connection string', async () => {
      const { json, text } = await call(fx.handler, 'GET', '/admin/api/health', { role: 'read' });
      expect(json).toMatchObject({ status: 'ok', provider });
      const stats = await call(fx.handler, 'GET', '/admin/api/stats');
      for (const body of [text, stats.text]) expect(body).not.toMatch(/postgres:\/\/|\.db"|password/i);
    });

    it('serves the dashboard files with a strict CSP, and nothing else', async () => {
      const page = await call(fx.handler, 'GET', '/admin/', { role: 'read' });
      expect(page.status).toBe(200);
      expect(page.headers.get('content-type')).toMatch(/text\/html/);
      expect(page.headers.get('content-security-policy')).toMatch(/default-src 'self'/);
      expect(page.text).not.toMatch(/<script>|<style>| style=| on\w+=/i);
      expect((await call(fx.handler, 'GET', '/admin/app.js')).headers.get('content-type')).toMatch(/javascript/);
      expect((await call(fx.handler, 'GET', '/admin/app.css')).status).toBe(200);
      for (const path of ['/admin/package.json', '/admin/%2e%2e/package.json', '/admin/..%2fpackage.json', '/admin/src/index.ts']) {
        expect((await call(fx.handler, 'GET', path)).status, path).toBe(404);
      }
      expect((await call(fx.handler, 'POST', '/admin/')).status).toBe(405);
    });
  });
}
