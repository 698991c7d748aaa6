import type { AddressInfo } from 'node:net';
import { createMemoryStore } from '@durably/core';
import { createDurably, type Durably } from '@durably/hosting';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jobs } from '../durably-config.js';
import { createSampleServer } from './sample-server.js';

// The routes in-process on the memory store, with no worker running: what each route stores and
// how it answers bad input.
describe('sample HTTP routes', () => {
  let durably: Durably;
  let server: ReturnType<typeof createSampleServer>;
  let base: string;
  const post = (path: string, body: unknown) =>
    fetch(`${base}${path}`, { method: 'POST', body: typeof body === 'string' ? body : JSON.stringify(body) });

  beforeAll(async () => {
    durably = await createDurably({
      store: createMemoryStore(),
      jobs,
      env: {},
      handleSignals: false,
      startWorker: false,
      logger: pino({ level: 'silent' }),
    });
    server = createSampleServer(durably);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
    await durably.stop();
  });

  it('enqueues a typed report and shows it at GET /runs/:id', async () => {
    const response = await post('/reports', { customerId: 'acme', month: '2026-11' });
    expect(response.status).toBe(202);
    const { runId } = (await response.json()) as { runId: string };
    const shown = (await (await fetch(`${base}/runs/${runId}`)).json()) as {
      run: { jobName: string; payload: unknown; status: string };
    };
    expect(shown.run).toMatchObject({
      jobName: 'reports.generate',
      status: 'pending',
      payload: { customerId: 'acme', month: '2026-11' },
    });
  });

  it('schedules a reminder for later', async () => {
    const { runId } = (await (
      await post('/reminders', { email: 'a@b.c', invoiceId: 'I-1', delaySeconds: 60 })
    ).json()) as { runId: string };
    const run = await durably.runs.get(runId);
    expect(run?.jobName).toBe('invoices.send-reminder');
    expect(run!.runAt.getTime()).toBeGreaterThan(Date.now() + 50_000);
  });

  it('cancels a pending video transcode', async () => {
    const { runId } = (await (await post('/videos', { videoId: 'v1' })).json()) as { runId: string };
    const response = await post(`/runs/${runId}/cancel`, '');
    expect(await response.json()).toEqual({ outcome: 'cancelled', status: 'cancelled' });
  });

  it.each([
    ['/reports', '{not json', 400, 'the body must be a JSON object'],
    ['/reports', { customerId: 'acme' }, 400, '"month" must be a non-empty string'],
    ['/payments', { orderId: 'o', amountCents: 'lots' }, 400, '"amountCents" must be a positive integer'],
    [
      '/reminders',
      { email: 'a@b.c', invoiceId: 'I', delaySeconds: -1 },
      400,
      '"delaySeconds" must be a number of seconds',
    ],
    ['/runs/missing/cancel', '', 404, 'no run missing'],
    ['/nowhere', {}, 404, 'not found'],
  ])('POST %s with %j answers %i', async (path, body, status, error) => {
    const response = await post(path, body);
    expect(response.status).toBe(status);
    if (error) expect(((await response.json()) as { error: string }).error).toBe(error);
  });
});
