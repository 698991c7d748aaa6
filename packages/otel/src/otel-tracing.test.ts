import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { attemptInfoOf, createFakeClock, createMemoryStore, type FinishOutcome } from '@durably/core';
import { newRun as newRunFixture } from '@durably/testing';
import { context, SpanKind, SpanStatusCode, type TracerProvider } from '@opentelemetry/api';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createOtelInstrumentation } from './otel-instrumentation.js';
import { attemptInfo } from './test-support/attempt-info.js';
import { createOtelHarness } from './test-support/otel-harness.js';

let harness: ReturnType<typeof createOtelHarness>;
const contextManager = new AsyncLocalStorageContextManager();

beforeAll(() => {
  // The SDK's usual Node setup: context follows async calls, so handler spans nest.
  context.setGlobalContextManager(contextManager.enable());
});
afterAll(() => {
  contextManager.disable();
  context.disable();
});
beforeEach(() => {
  harness = createOtelHarness();
});
afterEach(async () => {
  await harness.shutdown();
});

function instrumentation(linkMode?: 'link' | 'child') {
  const { tracerProvider, meterProvider } = harness;
  return createOtelInstrumentation({ tracerProvider, meterProvider, ...(linkMode ? { linkMode } : {}) });
}

/** Enqueues through the hook and returns the metadata the client would store. */
function enqueue(otel: ReturnType<typeof instrumentation>, runId = 'run-1') {
  const span = otel.enqueue({ jobName: 'email.send', queue: 'mail', count: 1, origin: 'enqueue' });
  span.end({ runIds: [runId] });
  return span.metadata ?? {};
}

describe('createOtelInstrumentation: traces', () => {
  it('produces a PRODUCER span on enqueue and stores its W3C trace context in the metadata', () => {
    const metadata = enqueue(instrumentation());
    const producer = harness.span('send email.send');
    expect(producer.kind).toBe(SpanKind.PRODUCER);
    expect(producer.attributes).toMatchObject({
      'messaging.system': 'durably',
      'messaging.operation.type': 'send',
      'messaging.destination.name': 'mail',
      'messaging.message.id': 'run-1',
      'durably.job.name': 'email.send',
      'durably.run.origin': 'enqueue',
    });
    const { traceId, spanId } = producer.spanContext();
    expect(metadata.traceparent).toBe(`00-${traceId}-${spanId}-01`);
  });

  it('links the CONSUMER span of an attempt to the producer span (default link mode)', async () => {
    const otel = instrumentation();
    const metadata = enqueue(otel);
    const result = await otel.attempt(attemptInfo({ metadata }), async () => 'done');
    expect(result).toBe('done');
    const producer = harness.span('send email.send');
    const consumer = harness.span('process email.send');
    expect(consumer.kind).toBe(SpanKind.CONSUMER);
    expect(consumer.links).toHaveLength(1);
    expect(consumer.links[0]?.context.spanId).toBe(producer.spanContext().spanId);
    expect(consumer.links[0]?.context.traceId).toBe(producer.spanContext().traceId);
    // A new trace per attempt, not a child.
    expect(consumer.spanContext().traceId).not.toBe(producer.spanContext().traceId);
    expect(consumer.parentSpanContext).toBeUndefined();
    expect(consumer.attributes).toMatchObject({
      'messaging.system': 'durably',
      'messaging.operation.type': 'process',
      'messaging.destination.name': 'mail',
      'messaging.message.id': 'run-1',
      'durably.job.name': 'email.send',
      'durably.run.attempt': 1,
      'durably.run.origin': 'enqueue',
      'durably.run.outcome': 'succeeded',
    });
    expect(consumer.status.code).toBe(SpanStatusCode.UNSET);
  });

  it('makes the consumer span a child of the producer span in child mode', async () => {
    const otel = instrumentation('child');
    const metadata = enqueue(otel);
    await otel.attempt(attemptInfo({ metadata }), async () => undefined);
    const producer = harness.span('send email.send');
    const consumer = harness.span('process email.send');
    expect(consumer.spanContext().traceId).toBe(producer.spanContext().traceId);
    expect(consumer.parentSpanContext?.spanId).toBe(producer.spanContext().spanId);
    expect(consumer.links).toHaveLength(0);
  });

  it('runs the handler inside the consumer span, so its own spans nest under it', async () => {
    const otel = instrumentation();
    await otel.attempt(attemptInfo(), async () => {
      await new Promise((resolve) => setTimeout(resolve, 1));
      harness.tracerProvider.getTracer('app').startSpan('smtp.send').end();
    });
    const consumer = harness.span('process email.send');
    const child = harness.span('smtp.send');
    expect(child.parentSpanContext?.spanId).toBe(consumer.spanContext().spanId);
  });

  it('traces each retry attempt as its own span, all linked to the one producer span', async () => {
    const otel = instrumentation();
    const metadata = enqueue(otel);
    const retry: FinishOutcome = {
      type: 'retry',
      error: { name: 'TypeError', message: 'flaky' },
      delayMs: 1000,
    };
    await otel.attempt(attemptInfo({ metadata, attempt: 1 }), async () => retry);
    await otel.attempt(
      attemptInfo({ metadata, attempt: 2 }),
      async () => ({ type: 'succeeded' }) as FinishOutcome,
    );
    const consumers = harness.spans().filter((span) => span.name === 'process email.send');
    expect(
      consumers.map((span) => [
        span.attributes['durably.run.attempt'],
        span.attributes['durably.run.outcome'],
      ]),
    ).toEqual([
      [1, 'retry'],
      [2, 'succeeded'],
    ]);
    const producerSpanId = harness.span('send email.send').spanContext().spanId;
    expect(consumers.every((span) => span.links[0]?.context.spanId === producerSpanId)).toBe(true);
  });

  it('traces a cron slot as a new root span with origin cron', async () => {
    await instrumentation().attempt(attemptInfo({ origin: 'cron' }), async () => undefined);
    const consumer = harness.span('process email.send');
    expect(consumer.attributes['durably.run.origin']).toBe('cron');
    expect(consumer.links).toHaveLength(0);
    expect(consumer.parentSpanContext).toBeUndefined();
  });
});

describe('createOtelInstrumentation: failures', () => {
  it('marks a failed outcome with error status, error.type and the exception', async () => {
    const failed: FinishOutcome = {
      type: 'failed',
      error: {
        name: 'NonRetryableError',
        message: 'user was deleted',
        stack: 'NonRetryableError: user was deleted\n    at run',
      },
    };
    await instrumentation().attempt(attemptInfo(), async () => failed);
    const consumer = harness.span('process email.send');
    expect(consumer.status).toEqual({ code: SpanStatusCode.ERROR, message: 'user was deleted' });
    expect(consumer.attributes).toMatchObject({
      'durably.run.outcome': 'failed',
      'error.type': 'NonRetryableError',
    });
    const exception = consumer.events.find((event) => event.name === 'exception');
    expect(exception?.attributes).toMatchObject({
      'exception.type': 'NonRetryableError',
      'exception.message': 'user was deleted',
    });
  });

  it('rethrows when execute rejects, recording the attempt as failed', async () => {
    const boom = new RangeError('out of range');
    await expect(instrumentation().attempt(attemptInfo(), () => Promise.reject(boom))).rejects.toBe(boom);
    const consumer = harness.span('process email.send');
    expect(consumer.status.code).toBe(SpanStatusCode.ERROR);
    expect(consumer.attributes).toMatchObject({
      'durably.run.outcome': 'failed',
      'error.type': 'RangeError',
    });
  });

  it('records a failed insert on the producer span', () => {
    const span = instrumentation().enqueue({
      jobName: 'email.send',
      queue: 'mail',
      count: 1,
      origin: 'enqueue',
    });
    span.end({ error: new TypeError('payload is not JSON') });
    const producer = harness.span('send email.send');
    expect(producer.status.code).toBe(SpanStatusCode.ERROR);
    expect(producer.attributes['error.type']).toBe('TypeError');
  });

  it('never breaks a job or an enqueue when the tracer itself throws', async () => {
    const brokenTracer = {
      startSpan: () => {
        throw new Error('exporter exploded');
      },
    };
    const tracerProvider = { getTracer: () => brokenTracer } as unknown as TracerProvider;
    const otel = createOtelInstrumentation({ tracerProvider, meterProvider: harness.meterProvider });
    let runs = 0;
    await expect(otel.attempt(attemptInfo(), async () => ++runs)).resolves.toBe(1);
    expect(runs).toBe(1);
    const span = otel.enqueue({ jobName: 'email.send', queue: 'mail', count: 1, origin: 'enqueue' });
    expect(() => span.end({ runIds: ['run-1'] })).not.toThrow();
  });
});

describe('createOtelInstrumentation: through a real store', () => {
  it('carries the trace context from enqueue through the stored run to the attempt', async () => {
    const clock = createFakeClock();
    const store = createMemoryStore({ clock });
    await store.migrate();
    const otel = instrumentation();
    const span = otel.enqueue({ jobName: 'email.send', queue: 'mail', count: 1, origin: 'enqueue' });
    const newRun = newRunFixture({
      jobName: 'email.send',
      payloadJson: '{"userId":"u1"}',
      queue: 'mail',
      metadata: { correlationId: 'c-1', ...span.metadata },
    });
    const [inserted] = await store.runInsertMany({ runs: [newRun] });
    span.end({ runIds: [inserted!.runId] });
    clock.advance(1_500);
    const [claimed] = await store.runClaim({
      workerName: 'w1',
      limit: 1,
      leaseDurationMs: 30_000,
      jobNames: ['email.send'],
    });
    const run = claimed!.run;
    await otel.attempt(attemptInfoOf(run, { workerName: 'w1' }), async () => undefined);
    const producer = harness.span('send email.send');
    const consumer = harness.span('process email.send');
    expect(consumer.links[0]?.context.spanId).toBe(producer.spanContext().spanId);
    expect(consumer.attributes['messaging.message.id']).toBe(inserted!.runId);
    expect(producer.attributes['messaging.message.id']).toBe(inserted!.runId);
    await store.close();
  });
});
