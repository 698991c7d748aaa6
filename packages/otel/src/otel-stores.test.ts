import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import {
  attemptInfoOf,
  createFakeClock,
  createMemoryStore,
  type DurablyStore,
  type FakeClock,
} from '@durably/core';
import { createPostgresStore } from '@durably/postgres';
import { createSqliteStore } from '@durably/sqlite';
import { newRun as newRunFixture } from '@durably/testing';
import pg from 'pg';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { metricNames } from './durably-metrics.js';
import { createOtelInstrumentation } from './otel-instrumentation.js';
import { registerStoreGauges } from './register-store-gauges.js';
import { createOtelHarness } from './test-support/otel-harness.js';

/** One store per test, each in its own file or schema, using `clock` for "now". */
interface StoreCase {
  name: string;
  create(clock: FakeClock): Promise<{ store: DurablyStore; destroy(): Promise<void> }>;
}

const sqliteDir = mkdtempSync(join(tmpdir(), 'durably-otel-'));
afterAll(() => rmSync(sqliteDir, { recursive: true, force: true }));
const postgresUrl = process.env.DURABLY_TEST_POSTGRES_URL;
if (!postgresUrl) console.warn('otel postgres cases skipped: set DURABLY_TEST_POSTGRES_URL to run them');

const cases: StoreCase[] = [
  {
    name: 'memory',
    create: async (clock) => ({ store: createMemoryStore({ clock }), destroy: async () => {} }),
  },
  {
    name: 'sqlite',
    create: async (clock) => {
      const store = createSqliteStore({
        filename: join(sqliteDir, `${randomBytes(4).toString('hex')}.db`),
        clock,
      });
      return { store, destroy: () => store.close() };
    },
  },
  {
    name: 'postgres',
    create: async (clock) => {
      const schema = `durably_t_otel_${randomBytes(4).toString('hex')}`;
      const store = createPostgresStore({ connectionString: postgresUrl!, schema, clock });
      return {
        store,
        async destroy() {
          await store.close();
          const admin = new pg.Client({ connectionString: postgresUrl });
          await admin.connect();
          await admin.query(`drop schema if exists "${schema}" cascade`).finally(() => admin.end());
        },
      };
    },
  },
];

const newRun = (metadata: Record<string, string>, runAt: Date | null = null) =>
  newRunFixture({ jobName: 'email.send', payloadJson: '{"userId":"u1"}', queue: 'mail', runAt, metadata });

describe.each(cases)('otel over the $name store', (storeCase) => {
  const skip = storeCase.name === 'postgres' && !postgresUrl;
  let harness: ReturnType<typeof createOtelHarness>;
  let clock: FakeClock;
  let store: DurablyStore;
  let destroy: () => Promise<void>;

  beforeEach(async () => {
    if (skip) return;
    harness = createOtelHarness();
    clock = createFakeClock('2026-03-01T12:00:00Z');
    ({ store, destroy } = await storeCase.create(clock));
    await store.migrate();
  });
  afterEach(async () => {
    if (skip) return;
    await destroy();
    await harness.shutdown();
  });

  it.skipIf(skip)('links the attempt span to the enqueue span through the stored metadata', async () => {
    const otel = createOtelInstrumentation({
      tracerProvider: harness.tracerProvider,
      meterProvider: harness.meterProvider,
    });
    const span = otel.enqueue({ jobName: 'email.send', queue: 'mail', count: 1, origin: 'enqueue' });
    const [inserted] = await store.runInsertMany({ runs: [newRun({ tenant: 'acme', ...span.metadata })] });
    span.end({ runIds: [inserted!.runId] });
    clock.advance(2_000);
    const [claimed] = await store.runClaim({
      workerName: 'w1',
      limit: 1,
      leaseDurationMs: 30_000,
      jobNames: ['email.send'],
    });
    const run = claimed!.run;
    expect(run.metadata.tenant).toBe('acme');
    await otel.attempt(attemptInfoOf(run, { workerName: 'w1' }), async () => undefined);
    const producer = harness.span('send email.send');
    const consumer = harness.span('process email.send');
    expect(consumer.links[0]?.context).toMatchObject({
      traceId: producer.spanContext().traceId,
      spanId: producer.spanContext().spanId,
    });
    const queued = await harness.point(metricNames.queueTime, { 'durably.job.name': 'email.send' });
    expect((queued.value as { sum: number }).sum).toBeCloseTo(2, 3);
  });

  it.skipIf(skip)('reports run counts by status and the age of the oldest due run', async () => {
    const unregister = registerStoreGauges({
      meter: harness.meterProvider.getMeter('test'),
      store,
      intervalMs: 0,
    });
    await store.runInsertMany({
      runs: [newRun({}), newRun({}), newRun({}, new Date('2026-03-02T00:00:00Z'))],
    });
    clock.advance(45_000);
    await store.runClaim({ workerName: 'w1', limit: 1, leaseDurationMs: 30_000, jobNames: ['email.send'] });
    expect((await harness.point(metricNames.runs, { 'durably.run.status': 'pending' })).value).toBe(2);
    expect((await harness.point(metricNames.runs, { 'durably.run.status': 'leased' })).value).toBe(1);
    expect((await harness.point(metricNames.oldestDueAge)).value).toBeCloseTo(45, 3);
    unregister();
  });
});
