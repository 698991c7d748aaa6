import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createNodeAdminListener } from './create-node-admin-listener.js';
import { startAdminServer } from './start-admin-server.js';
import { createAdminFixture, type AdminFixture } from './test-support/admin-fixture.js';
import { sqliteStores } from './test-support/provider-stores.js';

const stores = sqliteStores();
afterAll(() => stores.cleanup());

function listen(server: Server): Promise<string> {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`)));
}

/** Sends a raw request (fetch would not let us lie about the body size or skip the Origin). */
function raw(url: string, method: string, headers: Record<string, string>, body?: Buffer): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method, headers }, (res) => {
      let text = '';
      res.setEncoding('utf8').on('data', (chunk: string) => (text += chunk)).on('end', () => resolve({ status: res.statusCode!, text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

describe('createNodeAdminListener (node:http, sqlite)', () => {
  let fx: AdminFixture;
  let server: Server;
  let base: string;
  beforeEach(async () => {
    fx = await createAdminFixture(stores.factory);
  });
  afterEach(async () => {
    await new Promise((resolve) => server.close(resolve));
    await fx.destroy();
  });

  it('serves the API and dashboard over a real socket, and mutates with POST + header', async () => {
    server = createServer(createNodeAdminListener(fx.handler));
    base = await listen(server);
    const auth = { authorization: 'Bearer manage' };
    const list = await fetch(`${base}/admin/api/runs?status=failed`, { headers: auth });
    expect(list.status).toBe(200);
    expect(((await list.json()) as { runs: unknown[] }).runs).toHaveLength(1);
    const page = await fetch(`${base}/admin/`, { headers: auth });
    expect(page.headers.get('content-security-policy')).toContain("default-src 'self'");
    const cancel = await fetch(`${base}/admin/api/runs/${fx.runs.pending}/cancel`, { method: 'POST', headers: { ...auth, 'x-durably-admin': '1' } });
    expect(cancel.status).toBe(200);
    expect((await fx.store.runGet({ runId: fx.runs.pending }))?.status).toBe('cancelled');
    const cron = await fetch(`${base}/admin/api/schedules/report.nightly/cron`, {
      method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body: JSON.stringify({ cron: '15 2 * * *' }),
    });
    expect(cron.status).toBe(200);
    expect((await fx.store.scheduleGet({ jobName: 'report.nightly' }))?.cron).toBe('15 2 * * *');
    expect((await fetch(`${base}/elsewhere`, { headers: auth })).status).toBe(404);
  });

  it('passes the peer address for the local escape hatch', async () => {
    server = createServer(createNodeAdminListener(fx.makeHandler({ authorize: undefined, unsafeAllowLocalWithoutAuth: true })));
    base = await listen(server);
    expect((await fetch(`${base}/admin/api/health`)).status).toBe(200);
    // Same loopback peer, but a foreign Host (DNS rebinding): refused.
    expect((await raw(`${base}/admin/api/health`, 'GET', { host: 'evil.example' })).status).toBe(401);
  });

  it('refuses bodies over 64 KiB, declared or streamed, without reading them all', async () => {
    server = createServer(createNodeAdminListener(fx.handler));
    base = await listen(server);
    const headers = { authorization: 'Bearer manage', 'content-type': 'application/json' };
    const big = Buffer.from(JSON.stringify({ cron: '0 3 * * *', pad: 'x'.repeat(100 * 1024) }));
    const declared = await raw(`${base}/admin/api/schedules/report.nightly/cron`, 'POST', headers, big);
    expect(declared.status).toBe(400);
    expect(declared.text).toContain('body_too_large');
    const chunked = await raw(`${base}/admin/api/schedules/report.nightly/cron`, 'POST', { ...headers, 'transfer-encoding': 'chunked' }, big);
    expect(chunked.status).toBe(400);
    expect((await fx.store.scheduleGet({ jobName: 'report.nightly' }))?.cron).toBe('0 3 * * *');
  });

  it('works as middleware: passes other paths to next and reads a body parsed by express.json()', async () => {
    const listener = createNodeAdminListener(fx.handler);
    let passedOn = 0;
    server = createServer((req, res) => {
      if (req.url === '/app') {
        listener(req, res, () => { passedOn += 1; res.end('app'); });
        return;
      }
      // Imitate express.json(): consume the stream, leave the parsed object on req.body.
      let text = '';
      req.setEncoding('utf8').on('data', (chunk: string) => (text += chunk)).on('end', () => {
        Object.assign(req, { body: text ? JSON.parse(text) : {}, originalUrl: req.url });
        listener(req, res, (error) => { res.statusCode = 500; res.end(String(error)); });
      });
    });
    base = await listen(server);
    expect(await (await fetch(`${base}/app`)).text()).toBe('app');
    expect(passedOn).toBe(1);
    const response = await fetch(`${base}/admin/api/schedules/report.nightly/cron`, {
      method: 'POST', headers: { authorization: 'Bearer manage', 'content-type': 'application/json' }, body: JSON.stringify({ cron: '45 1 * * *' }),
    });
    expect(response.status).toBe(200);
    expect((await fx.store.scheduleGet({ jobName: 'report.nightly' }))?.cron).toBe('45 1 * * *');
  });

  it('treats a body a framework consumed without parsing as empty, instead of waiting for it', async () => {
    const listener = createNodeAdminListener(fx.handler);
    server = createServer((req, res) => {
      req.resume().on('end', () => listener(req, res));
    });
    base = await listen(server);
    const response = await fetch(`${base}/admin/api/runs/${fx.runs.failed}/retry`, {
      method: 'POST', headers: { authorization: 'Bearer manage', 'x-durably-admin': '1' }, body: 'ignored', signal: AbortSignal.timeout(5_000),
    });
    expect(response.status).toBe(200);
  });
});

describe('startAdminServer', () => {
  it('serves the handler on its own loopback port and closes', async () => {
    const fx = await createAdminFixture(stores.factory);
    const admin = await startAdminServer(fx.handler, { port: 0 });
    try {
      expect(admin.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/admin\/$/);
      const page = await fetch(admin.url, { headers: { authorization: 'Bearer read' } });
      expect(page.status).toBe(200);
      expect(await page.text()).toContain('<script type="module" src="app.js"></script>');
    } finally {
      await admin.close();
      await fx.destroy();
    }
    await expect(fetch(admin.url)).rejects.toThrow();
  });
});

