import { ConfigurationError } from '@durably/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createHttpIngestionSink, type HttpIngestionSink } from './http-ingestion-sink.js';
import type { HttpIngestionSinkOptions } from './ingestion-settings.js';
import { startIngestionServer, type IngestionServer } from './test-support/ingestion-server.js';
import { failedEvent, succeededEvents } from './test-support/sample-events.js';

let server: IngestionServer;
const sinks: HttpIngestionSink[] = [];

beforeEach(async () => {
  server = await startIngestionServer();
});
afterEach(async () => {
  // Closing stops timers; a sink left open would be a leak this suite should notice.
  server.behave(() => 202);
  await Promise.all(sinks.splice(0).map((sink) => sink.close()));
  await server.close();
});

/** A sink pointed at the test server; long flush interval, so only `flush()` or a full batch posts. */
function sinkFor(options: Partial<HttpIngestionSinkOptions> = {}): HttpIngestionSink {
  const sink = createHttpIngestionSink({
    tenantId: 'tenant-1',
    clientSecret: 'secret-1',
    ingestionApiBaseUrl: server.baseUrl,
    ingestionFlushIntervalSeconds: 3600,
    retryBaseDelayMs: 1,
    retryMaxDelayMs: 5,
    workerName: 'worker-1',
    ...options,
  });
  sinks.push(sink);
  return sink;
}

const runIds = (events: Record<string, unknown>[]) => events.map((event) => event.runId);

describe('createHttpIngestionSink: batching', () => {
  it('splits by ingestionMaxBatchSize, in order, with runtime information in every batch', async () => {
    const sink = sinkFor({ ingestionMaxBatchSize: 3 });
    for (const event of succeededEvents(7)) sink.emit(event);
    await sink.flush();
    expect(server.requests.map((request) => request.body.events.length)).toEqual([3, 3, 1]);
    expect(runIds(server.acceptedEvents())).toEqual([
      'run-0',
      'run-1',
      'run-2',
      'run-3',
      'run-4',
      'run-5',
      'run-6',
    ]);
    for (const request of server.requests) {
      expect(request.method).toBe('POST');
      expect(request.path).toBe('/v1/events/batch');
      expect(request.body.runtime).toMatchObject({
        workerName: 'worker-1',
        pid: process.pid,
        nodeVersion: process.version,
      });
      expect(typeof request.body.runtime.host).toBe('string');
      expect(typeof request.body.runtime.durablyVersion).toBe('string');
    }
    const [first] = server.acceptedEvents();
    expect(first).toMatchObject({
      type: 'job_succeeded',
      at: '2026-01-01T00:00:00.000Z',
      durationMs: 12,
      jobName: 'email.send',
    });
    expect(typeof first?.id).toBe('string');
    expect(sink.stats()).toMatchObject({ sentEvents: 7, sentBatches: 3, buffered: 0, failedRequests: 0 });
  });

  it('splits by ingestionMaxRequestBodyBytes and never sends a larger body', async () => {
    const maxBytes = 1_200;
    const sink = sinkFor({ ingestionMaxRequestBodyBytes: maxBytes });
    for (const event of succeededEvents(20)) sink.emit(event);
    await sink.flush();
    expect(server.requests.length).toBeGreaterThan(2);
    for (const request of server.requests) expect(request.bytes).toBeLessThanOrEqual(maxBytes);
    expect(runIds(server.acceptedEvents())).toEqual(
      succeededEvents(20).map((event) => 'runId' in event && event.runId),
    );
  });

  it('posts a full batch at once, without waiting for the flush interval', async () => {
    const sink = sinkFor({ ingestionMaxBatchSize: 2 });
    for (const event of succeededEvents(2)) sink.emit(event);
    await waitFor(() => server.requests.length === 1);
    expect(sink.stats().sentEvents).toBe(2);
  });

  it('posts a partial batch when the flush interval passes', async () => {
    sinkFor({ ingestionFlushIntervalSeconds: 0.05 }).emit(succeededEvents(1)[0]!);
    await waitFor(() => server.requests.length === 1);
    expect(runIds(server.acceptedEvents())).toEqual(['run-0']);
  });

  it('joins a base URL that has a path with the ingestion path', async () => {
    const sink = sinkFor({ ingestionApiBaseUrl: `${server.baseUrl}/api/`, ingestionPath: '/ingest' });
    sink.emit(succeededEvents(1)[0]!);
    await sink.flush();
    expect(server.requests[0]?.path).toBe('/api/ingest');
  });
});

describe('createHttpIngestionSink: credentials', () => {
  it('sends the tenant id and client secret as headers, with a JSON content type', async () => {
    const sink = sinkFor();
    sink.emit(succeededEvents(1)[0]!);
    await sink.flush();
    const headers = server.requests[0]!.headers;
    expect(headers['x-durably-tenant-id']).toBe('tenant-1');
    expect(headers['x-durably-client-secret']).toBe('secret-1');
    expect(headers['content-type']).toBe('application/json');
    expect(headers['user-agent']).toMatch(/^durably\//);
  });

  it.each([
    [{ ingestionApiBaseUrl: undefined }, 'eventing.ingestionApiBaseUrl'],
    [{ ingestionApiBaseUrl: 'not a url' }, 'eventing.ingestionApiBaseUrl'],
    [{ ingestionApiBaseUrl: 'ftp://example.com' }, 'eventing.ingestionApiBaseUrl'],
    [{ ingestionApiBaseUrl: 'https://user:pw@example.com' }, 'eventing.ingestionApiBaseUrl'],
    [{ clientSecret: undefined }, 'eventing.clientSecret'],
    [{ tenantId: '' }, 'eventing.tenantId'],
    [{ ingestionPath: 'v1/events' }, 'eventing.ingestionPath'],
    [{ ingestionMaxBatchSize: 0 }, 'eventing.ingestionMaxBatchSize'],
  ] as const)('refuses %o with a ConfigurationError naming %s', (override, key) => {
    const options = {
      tenantId: 't',
      clientSecret: 's',
      ingestionApiBaseUrl: 'https://events.example.com',
      ...override,
    };
    let caught: unknown;
    try {
      createHttpIngestionSink(options);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ConfigurationError);
    expect((caught as ConfigurationError).key).toBe(key);
  });
});

describe('createHttpIngestionSink: failures', () => {
  it('retries a failing server and loses nothing once it recovers', async () => {
    server.behave((index) => (index < 3 ? 500 : 202));
    const sink = sinkFor({ ingestionMaxBatchSize: 4, ingestionMaxRetryAttempts: 5 });
    for (const event of succeededEvents(10)) sink.emit(event);
    await sink.flush();
    expect(runIds(server.acceptedEvents())).toEqual(
      succeededEvents(10).map((event) => 'runId' in event && event.runId),
    );
    expect(sink.stats()).toMatchObject({
      failedRequests: 3,
      droppedUndelivered: 0,
      sentEvents: 10,
      lastError: 'HTTP 500',
    });
  });

  it('gives up on a batch after ingestionMaxRetryAttempts retries, counts it, then delivers later batches', async () => {
    server.behave(() => 503);
    const sink = sinkFor({ ingestionMaxRetryAttempts: 2 });
    for (const event of succeededEvents(3)) sink.emit(event);
    await sink.flush();
    expect(server.requests).toHaveLength(3);
    expect(sink.stats()).toMatchObject({ droppedUndelivered: 3, failedRequests: 3, sentEvents: 0 });

    server.behave(() => 202);
    sink.emit(succeededEvents(4)[3]!);
    await sink.flush();
    expect(runIds(server.acceptedEvents())).toEqual(['run-3']);
  });

  it('logs a dropped batch (rate-limited) without the secret', async () => {
    server.behave(() => 503);
    const lines: { fields: Record<string, unknown>; message: string }[] = [];
    const log = (fields: Record<string, unknown>, message: string) => void lines.push({ fields, message });
    const sink = createHttpIngestionSink(
      {
        tenantId: 't',
        clientSecret: 'secret-1',
        ingestionApiBaseUrl: `${server.baseUrl}?key=1`,
        ingestionMaxRetryAttempts: 0,
      },
      { logger: { warn: log, error: log } },
    );
    sinks.push(sink);
    sink.emit(succeededEvents(1)[0]!);
    await sink.flush();
    sink.emit(succeededEvents(2)[1]!);
    await sink.flush();
    expect(lines).toHaveLength(1);
    expect(lines[0]?.message).toMatch(/could not be delivered/);
    expect(lines[0]?.fields).toMatchObject({
      events: 1,
      reason: 'HTTP 503',
      url: `${server.baseUrl}/v1/events/batch`,
    });
    expect(JSON.stringify(lines)).not.toMatch(/secret-1/);
    expect(server.requests[0]?.path).toBe('/v1/events/batch?key=1');
    expect(sink.stats().droppedUndelivered).toBe(2);
  });

  it('does not retry a refused request (401) and drops its batch', async () => {
    server.behave(() => 401);
    const sink = sinkFor({ ingestionMaxRetryAttempts: 5 });
    sink.emit(succeededEvents(1)[0]!);
    await sink.flush();
    expect(server.requests).toHaveLength(1);
    expect(sink.stats()).toMatchObject({ droppedUndelivered: 1, lastError: 'HTTP 401' });
  });

  it('aborts a request the server does not answer, retries, and recovers', async () => {
    server.behave((index) => (index === 0 ? 'hang' : 202));
    const sink = sinkFor({ requestTimeoutMs: 150, ingestionMaxRetryAttempts: 2 });
    for (const event of succeededEvents(2)) sink.emit(event);
    await sink.flush();
    expect(server.requests).toHaveLength(2);
    expect(runIds(server.acceptedEvents())).toEqual(['run-0', 'run-1']);
    expect(sink.stats().lastError).toMatch(/no answer within 150 ms/);
  });

  it('drops a batch whose every try times out, bounded by the retry limit', async () => {
    server.behave(() => 'hang');
    const sink = sinkFor({ requestTimeoutMs: 100, ingestionMaxRetryAttempts: 1 });
    sink.emit(succeededEvents(1)[0]!);
    await sink.flush();
    expect(server.requests).toHaveLength(2);
    expect(sink.stats()).toMatchObject({ droppedUndelivered: 1, failedRequests: 2 });
  });

  it('returns from flush() after flushTimeoutMs even when the endpoint hangs', async () => {
    server.behave(() => 'hang');
    const sink = sinkFor({ requestTimeoutMs: 10_000, flushTimeoutMs: 100 });
    sink.emit(succeededEvents(1)[0]!);
    const started = Date.now();
    await sink.flush();
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(sink.stats().inFlight).toBe(1);
    server.behave(() => 202);
    await server.close();
    server = await startIngestionServer();
  });

  it('keeps the newest events when the buffer overflows, and counts the dropped oldest', async () => {
    const sink = sinkFor({ bufferCapacity: 5 });
    for (const event of succeededEvents(8)) sink.emit(event);
    expect(sink.stats()).toMatchObject({ buffered: 5, droppedOverflow: 3 });
    await sink.flush();
    expect(runIds(server.acceptedEvents())).toEqual(['run-3', 'run-4', 'run-5', 'run-6', 'run-7']);
  });

  it('while the endpoint is down, keeps buffering and delivers everything that fit once it is back', async () => {
    let down = true;
    server.behave(() => (down ? 503 : 202));
    const sink = sinkFor({ ingestionMaxBatchSize: 2, ingestionMaxRetryAttempts: 1_000, retryMaxDelayMs: 2 });
    for (const event of succeededEvents(6)) sink.emit(event);
    await waitFor(() => server.requests.length >= 5);
    down = false;
    await sink.flush();
    expect(runIds(server.acceptedEvents())).toEqual(['run-0', 'run-1', 'run-2', 'run-3', 'run-4', 'run-5']);
    expect(sink.stats()).toMatchObject({ droppedOverflow: 0, droppedUndelivered: 0 });
  });
});

describe('createHttpIngestionSink: error detail', () => {
  const error = { name: 'TypeError', message: 'x'.repeat(100), stack: `TypeError: ${'y'.repeat(200)}` };

  it('sends only the error type by default', async () => {
    const sink = sinkFor();
    sink.emit(failedEvent(0, error));
    await sink.flush();
    expect(server.acceptedEvents()[0]?.error).toEqual({ type: 'TypeError' });
  });

  it('includes message and stack when enabled, each cut to maxErrorDetailLength', async () => {
    const sink = sinkFor({ includeErrorDetail: true, maxErrorDetailLength: 20 });
    sink.emit(failedEvent(0, error));
    await sink.flush();
    const sent = server.acceptedEvents()[0]?.error as { type: string; message: string; stack: string };
    expect(sent.type).toBe('TypeError');
    expect(sent.message).toHaveLength(20);
    expect(sent.message.endsWith('…')).toBe(true);
    expect(sent.stack).toHaveLength(20);
    expect(sent.stack.startsWith('TypeError: yyy')).toBe(true);
  });

  it('drops an event that alone exceeds the body limit, and counts it', async () => {
    const sink = sinkFor({
      includeErrorDetail: true,
      maxErrorDetailLength: 5_000,
      ingestionMaxRequestBodyBytes: 1_000,
    });
    sink.emit(failedEvent(0, { name: 'Error', message: 'z'.repeat(4_000) }));
    sink.emit(succeededEvents(2)[1]!);
    await sink.flush();
    expect(sink.stats().droppedOversized).toBe(1);
    expect(runIds(server.acceptedEvents())).toEqual(['run-1']);
  });
});

/** Polls `condition` every 5 ms for at most 3 s. */
async function waitFor(condition: () => boolean): Promise<void> {
  const deadline = Date.now() + 3_000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met within 3 s');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
