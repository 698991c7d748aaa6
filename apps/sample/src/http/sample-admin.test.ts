import type { AddressInfo } from 'node:net';
import { createMemoryStore } from '@durably/core';
import { createDurably, type Durably } from '@durably/hosting';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { jobs } from '../durably-config.js';
import { checkAdminToken, createSampleAdmin } from './sample-admin.js';
import { createSampleServer } from './sample-server.js';

const token = 'sample-admin-token-0123456789abcdef';
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

/** The sample server with its admin mount, in-process on the memory store. */
async function start(env: NodeJS.ProcessEnv): Promise<string> {
  const durably: Durably = await createDurably({
    store: createMemoryStore(),
    jobs,
    env: {},
    handleSignals: false,
    startWorker: false,
    logger: pino({ level: 'silent' }),
  });
  const server = createSampleServer(durably, { admin: createSampleAdmin(durably, env) });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(async () => {
    await new Promise((resolve) => server.close(resolve));
    await durably.stop();
  });
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe('the dashboard mounted in the sample server', () => {
  it('answers /admin/api/health for local requests without a token, and serves the dashboard page', async () => {
    const base = await start({});
    const health = await fetch(`${base}/admin/api/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ status: 'ok', provider: 'memory' });
    const page = await fetch(`${base}/admin/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toContain('text/html');
    // The sample's own routes are still there.
    expect((await fetch(`${base}/runs/unknown`)).status).toBe(404);
  });

  it('requires the bearer token when SAMPLE_ADMIN_TOKEN is set', async () => {
    const base = await start({ SAMPLE_ADMIN_TOKEN: token });
    expect((await fetch(`${base}/admin/api/health`)).status).toBe(401);
    const authorized = await fetch(`${base}/admin/api/health`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(authorized.status).toBe(200);
  });

  it('refuses a short SAMPLE_ADMIN_TOKEN at startup, naming the variable', () => {
    expect(() => checkAdminToken({ SAMPLE_ADMIN_TOKEN: 'short' })).toThrow(
      /SAMPLE_ADMIN_TOKEN must have at least 24/,
    );
    expect(() => checkAdminToken({})).not.toThrow();
  });
});
