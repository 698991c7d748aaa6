import { resolveOptions } from '@durably/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createEventSinks } from './create-event-sinks.js';
import { startIngestionServer, type IngestionServer } from './test-support/ingestion-server.js';
import { failedEvent, succeededEvent } from './test-support/sample-events.js';

let server: IngestionServer;
beforeEach(async () => {
  server = await startIngestionServer();
});
afterEach(async () => {
  await server.close();
});

function recordingLogger() {
  const lines: { level: string; fields: Record<string, unknown>; message: string }[] = [];
  const at = (level: string) => (fields: Record<string, unknown>, message: string) =>
    void lines.push({ level, fields, message });
  return { lines, debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}

describe('createEventSinks', () => {
  it('turns resolved eventing options into a bus with logging and ingestion', async () => {
    const options = resolveOptions({
      workerName: 'orders-1',
      eventing: { tenantId: 'tenant', clientSecret: 'secret', ingestionApiBaseUrl: server.baseUrl },
    });
    const logger = recordingLogger();
    const { bus, ingestion } = createEventSinks({ options, logger });
    bus.emit(succeededEvent(1));
    bus.emit(failedEvent(2, { name: 'RangeError', message: 'secret customer data' }));
    await bus.flush();
    expect(server.acceptedEvents().map((event) => event.runId)).toEqual(['run-1', 'run-2']);
    expect(server.requests[0]?.body.runtime.workerName).toBe('orders-1');
    // includeErrorDetail defaults to false for ingestion …
    expect(server.acceptedEvents()[1]?.error).toEqual({ type: 'RangeError' });
    // … while the local log keeps the message.
    expect(logger.lines.find((line) => line.fields.runId === 'run-2')?.fields.error).toMatchObject({
      message: 'secret customer data',
    });
    expect(ingestion?.stats().sentEvents).toBe(2);
    await ingestion?.close();
  });

  it('adds no ingestion sink without credentials and no logging sink without a logger', async () => {
    const { bus, ingestion } = createEventSinks({ options: resolveOptions() });
    expect(ingestion).toBeUndefined();
    bus.emit(succeededEvent(1));
    await bus.flush();
    expect(bus.stats().delivered).toBe(1);
    expect(server.requests).toHaveLength(0);
  });
});
