import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { createFakeClock, createMemoryStore, defineJob, type DurablyEvent } from '@durably/core';
import { drain } from '@durably/testing';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { createDurably } from './create-durably.js';

function capturedPino() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, callback) {
      lines.push(...String(chunk).split('\n').filter(Boolean));
      callback();
    },
  });
  return { logger: pino({ level: 'debug' }, stream), lines };
}

const job = defineJob({ name: 'evented', run: () => {} });
const base = { jobs: [job], env: {}, handleSignals: false, startWorker: false } as const;

describe('event sinks wired by hosting', () => {
  it('logEvents writes every lifecycle event through the pino logger', async () => {
    const { logger, lines } = capturedPino();
    const clock = createFakeClock();
    const durably = await createDurably({ ...base, store: createMemoryStore({ clock }), clock, logger, logEvents: true });
    await durably.client.enqueue(job);
    await drain(durably);
    await durably.stop({ graceMs: 10 });
    const text = lines.join('\n');
    for (const type of ['job_claimed', 'job_started', 'job_succeeded']) expect(text).toContain(type);
  });

  it('sends events to the ingestion endpoint when eventing credentials are set, and to the user sink too', async () => {
    const bodies: string[] = [];
    const server = createServer((request: IncomingMessage, response) => {
      let body = '';
      request.on('data', (chunk: Buffer) => (body += chunk.toString()));
      request.on('end', () => {
        bodies.push(body);
        response.writeHead(202).end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as AddressInfo).port;
    const seen: DurablyEvent[] = [];
    try {
      const durably = await createDurably({
        ...base,
        store: createMemoryStore(),
        logger: capturedPino().logger,
        events: { emit: (event) => void seen.push(event) },
        eventing: { tenantId: 'tenant-1', clientSecret: 'secret-1', ingestionApiBaseUrl: `http://127.0.0.1:${port}` },
      });
      await durably.client.enqueue(job);
      await drain(durably);
      await durably.stop({ graceMs: 10 }); // flushes the bus and the ingestion sink
      expect(bodies.join('\n')).toContain('job_succeeded');
      expect(seen.map((event) => event.type)).toContain('job_succeeded');
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('adds nothing when neither is asked for: the user sink gets the events directly', async () => {
    const seen: string[] = [];
    const durably = await createDurably({
      ...base, store: createMemoryStore(), logger: capturedPino().logger, events: { emit: (event) => void seen.push(event.type) },
    });
    await durably.client.enqueue(job);
    await drain(durably);
    expect(seen).toEqual(['job_claimed', 'job_started', 'job_succeeded']); // synchronous: no bus in between
    await durably.stop({ graceMs: 10 });
  });

  it('fans out to several eventSinks, and wraps attempts in the instrumentation hook', async () => {
    const first: string[] = [];
    const second: string[] = [];
    const wrapped: string[] = [];
    const durably = await createDurably({
      ...base,
      store: createMemoryStore(),
      logger: capturedPino().logger,
      eventSinks: [{ emit: (event) => void first.push(event.type) }, { emit: (event) => void second.push(event.type) }],
      instrumentation: {
        async attempt(info, execute) {
          wrapped.push(info.jobName);
          return execute();
        },
      },
    });
    await durably.client.enqueue(job);
    await drain(durably);
    await durably.stop({ graceMs: 10 });
    expect(first).toContain('job_succeeded');
    expect(second).toEqual(first);
    expect(wrapped).toEqual(['evented']);
  });
});
