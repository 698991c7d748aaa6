import { createMemoryStore, defineJob } from '@durably/core';
import { createDurably } from '@durably/hosting';
import { silentLogger } from '@durably/worker';
import { SpanKind } from '@opentelemetry/api';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createOtelInstrumentation } from './otel-instrumentation.js';
import { createOtelHarness } from './test-support/otel-harness.js';

let harness: ReturnType<typeof createOtelHarness>;
beforeEach(() => {
  harness = createOtelHarness();
});
afterEach(async () => {
  await harness.shutdown();
});

const sendEmail = defineJob<{ to: string }>({ name: 'email.send', queue: 'mail', run: () => undefined });
const nightly = defineJob({ name: 'report.nightly', recurring: { cron: '0 3 * * *' }, run: () => undefined });

/** A real runtime (`createDurably` on the memory store) whose worker is drained by the test. */
async function startDurably() {
  const otel = createOtelInstrumentation({
    tracerProvider: harness.tracerProvider,
    meterProvider: harness.meterProvider,
  });
  const durably = await createDurably({
    store: createMemoryStore(),
    jobs: [sendEmail, nightly],
    env: {},
    logger: silentLogger,
    instrumentation: otel,
    eventSinks: [otel.events],
    handleSignals: false,
    startWorker: false,
    workerName: 'w1',
  });
  return durably;
}

describe('otel through createDurably: enqueue → worker execution', () => {
  it('produces a producer span at enqueue and a consumer span linked to it when the worker runs the run', async () => {
    const durably = await startDurably();
    const runId = await durably.client.enqueue(
      sendEmail,
      { to: 'ada@example.com' },
      { metadata: { correlationId: 'c-1' } },
    );
    const stored = await durably.store.runGet({ runId });
    expect(stored?.metadata.correlationId).toBe('c-1');
    expect(stored?.metadata.traceparent).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);

    await durably.worker!.drain();
    await durably.stop({ graceMs: 1_000 });

    const producer = harness.span('send email.send');
    const consumer = harness.span('process email.send');
    expect(producer.kind).toBe(SpanKind.PRODUCER);
    expect(consumer.kind).toBe(SpanKind.CONSUMER);
    expect(producer.attributes['messaging.message.id']).toBe(runId);
    expect(producer.attributes['messaging.destination.name']).toBe('mail');
    expect(stored?.metadata.traceparent).toContain(producer.spanContext().spanId);
    expect(consumer.links.map((link) => link.context.spanId)).toEqual([producer.spanContext().spanId]);
    expect(consumer.spanContext().traceId).not.toBe(producer.spanContext().traceId);
    expect(consumer.attributes).toMatchObject({
      'messaging.message.id': runId,
      'durably.run.outcome': 'succeeded',
      'durably.run.origin': 'enqueue',
      'durably.worker.name': 'w1',
    });
  });

  it('traces a schedule run-now as a producer span with origin run-now, linked from its attempt', async () => {
    const durably = await startDurably();
    const runId = await durably.schedules.runNow('report.nightly');
    await durably.worker!.drain();
    await durably.stop({ graceMs: 1_000 });

    const producer = harness.span('send report.nightly');
    const consumer = harness.span('process report.nightly');
    expect(producer.attributes).toMatchObject({
      'durably.run.origin': 'run-now',
      'messaging.message.id': runId,
    });
    expect(consumer.links[0]?.context.spanId).toBe(producer.spanContext().spanId);
  });
});
