import { Writable } from 'node:stream';
import {
  createClient,
  createFakeClock,
  createJobRegistry,
  createMemoryStore,
  defineJob,
  NonRetryableError,
  resolveOptions,
} from '@durably/core';
import { createWorker } from '@durably/worker';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createEventSinks } from './create-event-sinks.js';
import { startIngestionServer, type IngestionServer } from './test-support/ingestion-server.js';

let server: IngestionServer;
beforeEach(async () => {
  server = await startIngestionServer();
});
afterEach(async () => {
  await server.close();
});

function capturedPino() {
  const lines: Record<string, unknown>[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      for (const line of chunk.toString('utf8').split('\n').filter(Boolean))
        lines.push(JSON.parse(line) as Record<string, unknown>);
      callback();
    },
  });
  return { lines, logger: pino({ level: 'debug' }, destination) };
}

describe('event sinks behind a real worker', () => {
  it('logs and ingests the events of a succeeding and a failing run', async () => {
    const clock = createFakeClock();
    const store = createMemoryStore({ clock });
    await store.migrate();
    const ok = defineJob({ name: 'report.ok', run: () => {} });
    const bad = defineJob({
      name: 'report.bad',
      run: () => {
        throw new NonRetryableError('customer 42 was deleted');
      },
    });
    const registry = createJobRegistry([ok, bad]);
    const options = resolveOptions({
      workerName: 'worker-it',
      eventing: { tenantId: 'tenant', clientSecret: 'secret', ingestionApiBaseUrl: server.baseUrl },
    });
    const { lines, logger } = capturedPino();
    const { bus, ingestion } = createEventSinks({ options, logger, clock });
    const worker = createWorker({ store, registry, options, clock, events: bus });
    const client = createClient({ store, registry, options, clock });

    const okRun = await client.enqueue(ok, undefined);
    const badRun = await client.enqueue(bad, undefined);
    await worker.drain();
    // stop() flushes the event sink: everything reaches the server before it returns.
    await worker.stop({ graceMs: 1_000 });

    const sent = server.acceptedEvents();
    const typesOf = (runId: string) =>
      sent.filter((event) => event.runId === runId).map((event) => event.type);
    expect(typesOf(okRun)).toEqual(['job_claimed', 'job_started', 'job_succeeded']);
    expect(typesOf(badRun)).toEqual(['job_claimed', 'job_started', 'job_failed']);
    expect(sent.find((event) => event.type === 'job_failed')?.error).toEqual({ type: 'NonRetryableError' });
    expect(server.requests[0]?.body.runtime.workerName).toBe('worker-it');

    const failedLine = lines.find((line) => line.event === 'job_failed');
    expect(failedLine).toMatchObject({
      runId: badRun,
      jobName: 'report.bad',
      attempt: 1,
      workerName: 'worker-it',
      outcome: 'failed',
    });
    expect(failedLine?.error).toMatchObject({
      type: 'NonRetryableError',
      message: 'customer 42 was deleted',
    });
    expect(lines.find((line) => line.event === 'job_succeeded')).toMatchObject({
      runId: okRun,
      outcome: 'succeeded',
    });
    expect(bus.stats()).toMatchObject({ dropped: 0, sinkErrors: 0 });
    await ingestion?.close();
    await store.close();
  });
});
