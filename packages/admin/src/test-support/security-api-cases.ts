import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createAdminHandler } from '../create-admin-handler.js';
import { call, createAdminFixture, type AdminFixture, type StoreFactory } from './admin-fixture.js';

/** Every route, with the ids of the fixture filled in. */
function everyRoute(fx: AdminFixture): { method: string; path: string; mutating: boolean }[] {
  const reads = ['/runs', `/runs/${fx.runs.failed}`, '/schedules', '/schedules/report.nightly', '/stats', '/stats/throughput', '/health'];
  const writes: [string, string][] = [
    ['POST', `/runs/${fx.runs.pending}/cancel`],
    ['POST', `/runs/${fx.runs.failed}/retry`],
    ['DELETE', `/runs/${fx.runs.failed}`],
    ['POST', '/schedules/report.nightly/enable'],
    ['POST', '/schedules/report.nightly/disable'],
    ['POST', '/schedules/report.nightly/cron'],
    ['POST', '/schedules/report.nightly/run-now'],
    ['DELETE', '/schedules/report.nightly'],
  ];
  return [
    ...reads.map((path) => ({ method: 'GET', path: `/admin/api${path}`, mutating: false })),
    ...writes.map(([method, path]) => ({ method, path: `/admin/api${path}`, mutating: true })),
    { method: 'GET', path: '/admin/', mutating: false },
  ];
}

/** Authorisation, roles, CSRF and error hygiene, for one provider. */
export function securityApiCases(provider: string, factory: StoreFactory): void {
  describe(`admin API security (${provider})`, () => {
    let fx: AdminFixture;
    beforeEach(async () => {
      fx = await createAdminFixture(factory);
    });
    afterEach(async () => {
      await fx.destroy();
    });
    const unchanged = async () => {
      expect((await fx.store.runGet({ runId: fx.runs.pending }))?.status).toBe('pending');
      expect((await fx.store.runGet({ runId: fx.runs.failed }))?.status).toBe('failed');
      expect(await fx.store.scheduleGet({ jobName: 'report.nightly' })).toMatchObject({ enabled: true, cron: '0 3 * * *' });
      expect((await fx.store.runList({ limit: 100 })).runs).toHaveLength(4);
    };

    it('refuses every route without an authorize hook (401), whoever asks', async () => {
      const handler = createAdminHandler({ store: fx.store, basePath: '/admin' });
      for (const route of everyRoute(fx)) {
        const response = await call(handler, route.method, route.path, { body: route.mutating ? { cron: '* * * * *' } : undefined });
        expect(response.status, `${route.method} ${route.path}`).toBe(401);
        expect(response.json.error.message).toMatch(/authorize/);
      }
      // Even from loopback, unless the escape hatch is opted into.
      const local = await handler(new Request('http://localhost/admin/api/runs'), { remoteAddress: '127.0.0.1' });
      expect(local.status).toBe(401);
      await unchanged();
    });

    it('refuses callers the hook denies (null) and callers with an unknown role', async () => {
      for (const route of everyRoute(fx)) {
        expect((await call(fx.handler, route.method, route.path, { role: null })).status, route.path).toBe(401);
      }
      const odd = fx.makeHandler({ authorize: () => 'admin' as never });
      expect((await call(odd, 'GET', '/admin/api/runs')).status).toBe(401);
      const throwing = fx.makeHandler({ authorize: () => { throw new Error('token service down at postgres://u:secret@db'); } });
      const failed = await call(throwing, 'GET', '/admin/api/runs');
      expect(failed.status).toBe(401);
      expect(failed.text).not.toContain('secret');
      await unchanged();
    });

    it('allows local requests without auth only when opted in, from loopback, addressed to a loopback host', async () => {
      const handler = createAdminHandler({ store: fx.store, basePath: '/admin', unsafeAllowLocalWithoutAuth: true });
      const ask = (url: string, remoteAddress?: string) => handler(new Request(url), remoteAddress === undefined ? {} : { remoteAddress });
      expect((await ask('http://localhost:3000/admin/api/runs', '127.0.0.1')).status).toBe(200);
      expect((await ask('http://127.0.0.1/admin/api/runs', '::ffff:127.0.0.1')).status).toBe(200);
      expect((await ask('http://[::1]/admin/api/runs', '::1')).status).toBe(200);
      expect((await ask('http://localhost/admin/api/runs', '10.0.0.7')).status).toBe(401);
      expect((await ask('http://localhost/admin/api/runs')).status).toBe(401);
      // DNS rebinding: a page on evil.example resolved to 127.0.0.1 still sends its own Host.
      expect((await ask('http://evil.example/admin/api/runs', '127.0.0.1')).status).toBe(401);
    });

    it('gives the read role every read route and 403 on every mutating route, changing nothing', async () => {
      for (const route of everyRoute(fx)) {
        const response = await call(fx.handler, route.method, route.path, { role: 'read', body: route.mutating ? { cron: '* * * * *' } : undefined });
        expect(response.status, `${route.method} ${route.path}`).toBe(route.mutating ? 403 : 200);
      }
      await unchanged();
      expect(fx.audits).toHaveLength(8);
      expect(fx.audits.every((event) => event.outcome === 'denied' && event.role === 'read' && event.status === 403)).toBe(true);
    });

    it('rejects GET (and PUT) on mutating routes with 405 and an Allow header', async () => {
      for (const route of everyRoute(fx).filter((r) => r.mutating && r.method === 'POST')) {
        const response = await call(fx.handler, 'GET', route.path);
        expect(response.status, route.path).toBe(405);
        expect(response.headers.get('allow')).toContain('POST');
      }
      expect((await call(fx.handler, 'PUT', `/admin/api/runs/${fx.runs.failed}`)).status).toBe(405);
      await unchanged();
    });

    it('rejects cross-site mutating requests (Sec-Fetch-Site, Origin, missing header)', async () => {
      const cancel = `/admin/api/runs/${fx.runs.pending}/cancel`;
      const crossSite = await call(fx.handler, 'POST', cancel, { headers: { 'sec-fetch-site': 'cross-site' } });
      expect(crossSite.status).toBe(403);
      expect((await call(fx.handler, 'POST', cancel, { headers: { 'sec-fetch-site': 'same-site' } })).status).toBe(403);
      expect((await call(fx.handler, 'POST', cancel, { headers: { origin: 'https://evil.example' } })).status).toBe(403);
      expect((await call(fx.handler, 'POST', cancel, { headers: { origin: 'null' } })).status).toBe(403);
      // A form post: no custom header, a form content type.
      const form = await fx.handler(new Request(`http://admin.test${cancel}`, {
        method: 'POST',
        headers: { authorization: 'Bearer manage', 'content-type': 'application/x-www-form-urlencoded' },
        body: 'a=1',
      }));
      expect(form.status).toBe(403);
      await unchanged();
      expect(fx.audits.map((event) => event.outcome)).toEqual(['denied', 'denied', 'denied', 'denied', 'denied']);
      // Same origin, JSON content type without the header, and an allowed origin all pass.
      const sameOrigin = await call(fx.handler, 'POST', cancel, { headers: { origin: 'http://admin.test', 'sec-fetch-site': 'same-origin' } });
      expect(sameOrigin.status).toBe(200);
      const json = await fx.handler(new Request(`http://admin.test/admin/api/runs/${fx.runs.later}/cancel`, {
        method: 'POST', headers: { authorization: 'Bearer manage', 'content-type': 'application/json' }, body: '{}',
      }));
      expect(json.status).toBe(200);
      const allowed = fx.makeHandler({ allowedOrigins: ['https://ops.example'] });
      expect((await call(allowed, 'POST', `/admin/api/runs/${fx.runs.failed}/retry`, { headers: { origin: 'https://ops.example' } })).status).toBe(200);
    });

    it('answers an unexpected store fault with a bare 500: no stack, no secret, reported to onError', async () => {
      const secret = 'postgres://admin:hunter2@db.internal:5432/jobs';
      const broken = new Proxy(fx.store, {
        get: (target, key, receiver) =>
          key === 'runList' || key === 'runGet'
            ? async () => { throw new Error(`connect ECONNREFUSED ${secret}`); }
            : Reflect.get(target, key, receiver),
      });
      const handler = fx.makeHandler({ store: broken });
      for (const path of ['/admin/api/runs', `/admin/api/runs/${fx.runs.failed}`]) {
        const response = await call(handler, 'GET', path);
        expect(response.status).toBe(500);
        expect(response.json.error.code).toBe('internal_error');
        expect(response.text).not.toContain('hunter2');
        expect(response.text).not.toMatch(/ECONNREFUSED|\bat .*\.ts/);
      }
      const retry = await call(handler, 'POST', `/admin/api/runs/${fx.runs.failed}/retry`);
      expect(retry.status).toBe(500);
      expect(fx.audits.at(-1)).toMatchObject({ outcome: 'failed', status: 500, details: { error: 'internal_error' } });
      expect(JSON.stringify(fx.audits)).not.toContain('hunter2');
      expect(fx.errors).toHaveLength(3);
    });

    it('keeps working when onAudit throws, and reports that error', async () => {
      const handler = fx.makeHandler({ onAudit: () => { throw new Error('audit sink down'); } });
      expect((await call(handler, 'POST', `/admin/api/runs/${fx.runs.pending}/cancel`)).status).toBe(200);
      expect(fx.errors).toEqual([expect.objectContaining({ message: 'audit sink down' })]);
    });

    it('answers unknown paths 404, redirects the bare base path, and validates its options', async () => {
      expect((await call(fx.handler, 'GET', '/admin/api/nothing')).status).toBe(404);
      expect((await call(fx.handler, 'GET', '/elsewhere')).status).toBe(404);
      expect((await call(fx.handler, 'GET', '/administrator')).status).toBe(404);
      const bare = await call(fx.handler, 'GET', '/admin?view=runs');
      expect(bare.status).toBe(308);
      expect(bare.headers.get('location')).toBe('/admin/?view=runs');
      expect(() => createAdminHandler({ store: fx.store, basePath: 'admin' })).toThrow(/basePath/);
      expect(() => createAdminHandler({ store: {} as never, basePath: '/admin' })).toThrow(/store/);
      expect(() => createAdminHandler({ store: fx.store, basePath: '/a', exposePayloadTo: 'all' as never })).toThrow(/exposePayloadTo/);
      const root = createAdminHandler({ store: fx.store, basePath: '/', authorize: () => 'read' });
      expect((await call(root, 'GET', '/api/health')).status).toBe(200);
    });
  });
}
