import { createFakeClock, createMemoryStore, type DurablyEvent, type FinishOutcome } from '@durably/core';
import { newRun as newRunFixture } from '@durably/testing';
import type { Histogram } from '@opentelemetry/sdk-metrics';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { metricNames } from './durably-metrics.js';
import { createOtelInstrumentation } from './otel-instrumentation.js';
import { registerStoreGauges } from './register-store-gauges.js';
import { attemptInfo } from './test-support/attempt-info.js';
import { createOtelHarness } from './test-support/otel-harness.js';

let harness: ReturnType<typeof createOtelHarness>;
beforeEach(() => {
  harness = createOtelHarness();
});
afterEach(async () => {
  await harness.shutdown();
});

const instrumentation = () =>
  createOtelInstrumentation({ tracerProvider: harness.tracerProvider, meterProvider: harness.meterProvider });
const job = {
  'durably.job.name': 'email.send',
  'messaging.destination.name': 'mail',
  'messaging.system': 'durably',
};
const histogram = (point: { value: unknown }) => point.value as Histogram;

describe('createOtelInstrumentation: metrics', () => {
  it('counts sent runs and times the enqueue call', async () => {
    const otel = instrumentation();
    otel
      .enqueue({ jobName: 'email.send', queue: 'mail', count: 3, origin: 'enqueue' })
      .end({ runIds: ['a', 'b', 'c'] });
    otel
      .enqueue({ jobName: 'email.send', queue: 'mail', count: 1, origin: 'enqueue' })
      .end({ error: new TypeError('bad') });
    expect(
      (
        await harness.point(metricNames.sent, {
          ...job,
          'messaging.operation.name': 'send',
          'error.type': undefined,
        })
      ).value,
    ).toBe(3);
    expect((await harness.point(metricNames.sent, { 'error.type': 'TypeError' })).value).toBe(1);
    const durations = await harness.points(metricNames.sendDuration);
    expect(durations.reduce((sum, point) => sum + histogram(point).count, 0)).toBe(2);
  });

  it('records consumed, duration, outcomes by job and error type, and active attempts', async () => {
    const otel = instrumentation();
    let activeDuring: unknown;
    await otel.attempt(attemptInfo(), async () => {
      activeDuring = (await harness.point(metricNames.activeAttempts, job)).value;
      return { type: 'succeeded' } as FinishOutcome;
    });
    const retry: FinishOutcome = { type: 'retry', error: { name: 'TypeError', message: 'x' }, delayMs: 5 };
    await otel.attempt(attemptInfo({ runId: 'run-2' }), async () => retry);

    expect(activeDuring).toBe(1);
    expect((await harness.point(metricNames.activeAttempts, job)).value).toBe(0);
    expect(
      (await harness.point(metricNames.consumed, { ...job, 'messaging.operation.name': 'process' })).value,
    ).toBe(2);
    expect(
      (await harness.point(metricNames.attempts, { ...job, 'durably.run.outcome': 'succeeded' })).value,
    ).toBe(1);
    const failed = await harness.point(metricNames.attempts, { 'durably.run.outcome': 'retry' });
    expect(failed.value).toBe(1);
    expect(failed.attributes['error.type']).toBe('TypeError');
    const duration = await harness.point(metricNames.processDuration, {
      ...job,
      'durably.run.outcome': 'succeeded',
    });
    expect(histogram(duration).count).toBe(1);
    expect(histogram(duration).sum).toBeGreaterThanOrEqual(0);
  });

  it('records queue time (start minus scheduled) for first attempts only, and schedule lag for cron runs', async () => {
    const otel = instrumentation();
    await otel.attempt(attemptInfo(), async () => undefined); // 2.5 s after scheduledFor
    await otel.attempt(
      attemptInfo({ attempt: 2, startedAt: new Date('2026-01-01T01:00:00Z') }),
      async () => undefined,
    );
    const cron = { origin: 'cron', runId: 'run-3', startedAt: new Date('2026-01-01T00:00:00.250Z') };
    await otel.attempt(attemptInfo(cron), async () => undefined);

    const queued = histogram(await harness.point(metricNames.queueTime, { 'durably.run.origin': 'enqueue' }));
    expect(queued.count).toBe(1);
    expect(queued.sum).toBeCloseTo(2.5, 6);
    // Second-scale buckets, not the SDK's millisecond-scale defaults.
    expect(queued.buckets.boundaries).toContain(2.5);
    expect(queued.buckets.boundaries).toContain(3600);
    const lag = histogram(await harness.point(metricNames.scheduleLag, job));
    expect(lag.count).toBe(1);
    expect(lag.sum).toBeCloseTo(0.25, 6);
  });

  it('counts lease losses, skipped slots and scheduled retries from events', async () => {
    const sink = instrumentation().events;
    const at = new Date('2026-01-01T00:00:00Z');
    const base = { at, workerName: 'w', runId: 'r', jobName: 'email.send', queue: 'mail', attempt: 1 };
    const events: DurablyEvent[] = [
      { ...base, type: 'lease_lost', reason: 'expired' },
      { ...base, type: 'lease_lost', reason: 'expired' },
      { ...base, type: 'lease_lost', reason: 'fenced' },
      { ...base, type: 'job_skipped', slotAt: at },
      { ...base, type: 'retry_scheduled', delayMs: 1000, error: { name: 'TimeoutError', message: 'slow' } },
      { type: 'worker_heartbeat', at, workerName: 'w', activeRuns: 0 },
    ];
    for (const event of events) sink.emit(event);
    expect(
      (await harness.point(metricNames.leasesLost, { ...job, 'durably.lease.loss_reason': 'expired' })).value,
    ).toBe(2);
    expect(
      (await harness.point(metricNames.leasesLost, { 'durably.lease.loss_reason': 'fenced' })).value,
    ).toBe(1);
    expect((await harness.point(metricNames.slotsSkipped, job)).value).toBe(1);
    expect((await harness.point(metricNames.retriesScheduled, { 'error.type': 'TimeoutError' })).value).toBe(
      1,
    );
  });
});

describe('registerStoreGauges', () => {
  const newRun = (runAt: Date | null) => newRunFixture({ jobName: 'email.send', queue: 'mail', runAt });

  it('reports runs per status and the age of the oldest due run, from the store', async () => {
    const clock = createFakeClock('2026-01-01T00:00:00Z');
    const store = createMemoryStore({ clock });
    await store.migrate();
    const meter = harness.meterProvider.getMeter('test');
    const unregister = registerStoreGauges({ meter, store, intervalMs: 0 });

    expect((await harness.point(metricNames.oldestDueAge)).value).toBe(0);
    await store.runInsertMany({
      runs: [newRun(null), newRun(null), newRun(new Date('2026-01-01T05:00:00Z'))],
    });
    clock.advance(90_000);
    await store.runClaim({ workerName: 'w', limit: 1, leaseDurationMs: 30_000, jobNames: ['email.send'] });

    expect((await harness.point(metricNames.runs, { 'durably.run.status': 'pending' })).value).toBe(2);
    expect((await harness.point(metricNames.runs, { 'durably.run.status': 'leased' })).value).toBe(1);
    expect((await harness.point(metricNames.runs, { 'durably.run.status': 'failed' })).value).toBe(0);
    expect((await harness.point(metricNames.oldestDueAge)).value).toBe(90);
    unregister();
    await store.close();
  });

  it('queries the store at most once per interval', async () => {
    let queries = 0;
    const counts = {
      pending: 1,
      leased: 0,
      waiting_retry: 0,
      succeeded: 0,
      failed: 0,
      cancelled: 0,
      skipped: 0,
    };
    const store = {
      runCountByStatus: async () => {
        queries += 1;
        return counts;
      },
      runList: async () => ({ runs: [], nextCursor: null }),
      clockNow: async () => new Date(),
    };
    registerStoreGauges({ meter: harness.meterProvider.getMeter('test'), store, intervalMs: 60_000 });
    await harness.points(metricNames.runs);
    await harness.points(metricNames.runs);
    await harness.points(metricNames.runs);
    expect(queries).toBe(1);
  });
});
