import {
  createClient,
  createFakeClock,
  createJobRegistry,
  createMemoryStore,
  defineJob,
  resolveOptions,
} from '@durably/core';
import { createWorker } from '@durably/worker';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { metricNames } from './durably-metrics.js';
import { createOtelInstrumentation } from './otel-instrumentation.js';
import { createOtelHarness } from './test-support/otel-harness.js';

let harness: ReturnType<typeof createOtelHarness>;
beforeEach(() => {
  harness = createOtelHarness();
});
afterEach(async () => {
  await harness.shutdown();
});

describe('otel event sink behind a real worker', () => {
  it('counts the retries a real worker schedules, by job and error type', async () => {
    const clock = createFakeClock();
    const store = createMemoryStore({ clock });
    await store.migrate();
    const flaky = defineJob({
      name: 'sync.flaky',
      maxAttempts: 2,
      run: () => {
        throw new RangeError('upstream said no');
      },
    });
    const registry = createJobRegistry([flaky]);
    const options = resolveOptions({ workerName: 'w1' });
    const otel = createOtelInstrumentation({
      tracerProvider: harness.tracerProvider,
      meterProvider: harness.meterProvider,
    });
    const worker = createWorker({ store, registry, options, clock, events: otel.events });
    await createClient({ store, registry, options, clock }).enqueue(flaky, undefined);

    await worker.drain();
    await worker.stop({ graceMs: 1_000 });

    const retries = await harness.point(metricNames.retriesScheduled, { 'durably.job.name': 'sync.flaky' });
    expect(retries.value).toBe(1);
    expect(retries.attributes['error.type']).toBe('RangeError');
    await store.close();
  });
});
