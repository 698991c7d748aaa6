import { performance } from 'node:perf_hooks';
import { defineJob, type AnyJobDefinition } from '@durably/core';
import { createDurably, type Durably } from '@durably/hosting';
import { pino } from 'pino';
import { idlePollSeconds, type BenchTarget } from './bench-databases.js';
import { percentile, type Figure } from './bench-stats.js';
import { silentLogger } from './peers/peer-adapter.js';

const noop = defineJob<{ t?: number }>({ name: 'bench.noop', maxAttempts: 3, run: async () => {} });

/**
 * A Durably instance as a user runs it (client, worker, finish batching, events off), on the
 * target schema, with claims of up to 500 runs and 500 runs prefetched. `producer` mode runs no worker.
 */
async function start(
  target: BenchTarget,
  options: {
    mode: 'producer' | 'both';
    concurrency?: number;
    jobs?: AnyJobDefinition[];
    pollIntervalSeconds?: number;
    logEvents?: boolean;
  },
): Promise<Durably> {
  return createDurably({
    store: target.createStore(),
    jobs: options.jobs ?? [noop],
    workerMode: options.mode,
    maxConcurrentRuns: options.concurrency ?? 5,
    // The fast settings the comparison uses too (see src/peers/durably.ts).
    batchSize: 500,
    prefetchRuns: 500,
    ...(options.pollIntervalSeconds === undefined
      ? {}
      : { pollIntervalSeconds: options.pollIntervalSeconds }),
    env: {},
    handleSignals: false,
    // Logging every event is what many users run with: pino writing JSON lines (to /dev/null here).
    logger: options.logEvents
      ? pino({ level: 'info' }, pino.destination('/dev/null'))
      : (silentLogger as never),
    logEvents: options.logEvents ?? false,
  });
}

/** Enqueue one run per call, `inFlight` calls at a time; each call resolves once durable. */
export async function enqueueOneByOne(target: BenchTarget, n: number, inFlight: number): Promise<Figure[]> {
  const durably = await start(target, { mode: 'producer' });
  const latencies: number[] = [];
  let next = 0;
  const began = performance.now();
  await Promise.all(
    Array.from({ length: inFlight }, async () => {
      while (next < n) {
        next += 1;
        const t0 = performance.now();
        await durably.client.enqueue(noop, {});
        latencies.push(performance.now() - t0);
      }
    }),
  );
  const seconds = (performance.now() - began) / 1000;
  await durably.stop();
  return [
    {
      metric: `enqueue one by one (${inFlight} in flight)`,
      value: n / seconds,
      unit: 'jobs/s',
      detail: `N=${n}`,
    },
    { metric: 'per-call enqueue latency p50', value: percentile(latencies, 50), unit: 'ms' },
    { metric: 'per-call enqueue latency p99', value: percentile(latencies, 99), unit: 'ms' },
  ];
}

/** Enqueue in calls of `batch` runs, one call at a time. */
export async function enqueueBulk(target: BenchTarget, n: number, batch: number): Promise<Figure[]> {
  const durably = await start(target, { mode: 'producer' });
  const payloads = Array.from({ length: batch }, () => ({}));
  const began = performance.now();
  for (let done = 0; done < n; done += batch)
    await durably.client.enqueueMany(noop, payloads.slice(0, Math.min(batch, n - done)));
  const seconds = (performance.now() - began) / 1000;
  await durably.stop();
  return [
    { metric: `enqueue bulk (${batch} per call)`, value: n / seconds, unit: 'jobs/s', detail: `N=${n}` },
  ];
}

/** Pre-enqueue `n` runs, then time a worker at `concurrency` until every run has succeeded. */
export async function drain(
  target: BenchTarget,
  n: number,
  concurrency: number,
  options: { logEvents?: boolean } = {},
): Promise<Figure[]> {
  const producer = await start(target, { mode: 'producer' });
  for (let done = 0; done < n; done += 1_000) {
    await producer.client.enqueueMany(
      noop,
      Array.from({ length: Math.min(1_000, n - done) }, () => ({})),
    );
  }
  await producer.stop();
  let handled = 0;
  let allHandled!: () => void;
  const handledAll = new Promise<void>((resolve) => (allHandled = resolve));
  const counting = defineJob<{ t?: number }>({
    name: 'bench.noop',
    run: async () => {
      handled += 1;
      if (handled === n) allHandled();
    },
  });
  const began = performance.now();
  const durably = await start(target, { mode: 'both', concurrency, jobs: [counting], ...options });
  await handledAll;
  await waitForSucceeded(durably, n);
  const seconds = (performance.now() - began) / 1000;
  await durably.stop();
  return [
    {
      metric: `drain at concurrency ${concurrency}${options.logEvents ? ', every event logged' : ''}`,
      value: n / seconds,
      unit: 'jobs/s',
      detail: `N=${n}, history kept`,
    },
  ];
}

/**
 * The store's own ceiling, without the worker runtime: one loop that claims up to `batch` runs,
 * and finishes them all in one `runFinishMany`, until none is left. Compare with `drain` to see
 * what the runtime adds.
 */
export async function storeDrain(target: BenchTarget, n: number, batch: number): Promise<Figure[]> {
  const producer = await start(target, { mode: 'producer' });
  for (let done = 0; done < n; done += 1_000) {
    await producer.client.enqueueMany(
      noop,
      Array.from({ length: Math.min(1_000, n - done) }, () => ({})),
    );
  }
  const store = producer.store;
  const began = performance.now();
  for (;;) {
    const claimed = await store.runClaim({
      workerName: 'bench',
      limit: batch,
      leaseDurationMs: 60_000,
      jobNames: [noop.name],
    });
    if (claimed.length === 0) break;
    await store.runFinishMany({
      finishes: claimed.map((c) => ({
        runId: c.run.runId,
        workerName: 'bench',
        attempt: c.run.attempt,
        outcome: { type: 'succeeded' as const },
      })),
    });
  }
  const seconds = (performance.now() - began) / 1000;
  await producer.stop();
  return [
    {
      metric: `store-only drain, batches of ${batch} (no runtime)`,
      value: n / seconds,
      unit: 'jobs/s',
      detail: `N=${n}`,
    },
  ];
}

async function waitForSucceeded(durably: Durably, n: number): Promise<void> {
  for (;;) {
    const counts = await durably.store.runCountByStatus({});
    if (counts.succeeded >= n) return;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/**
 * Enqueue→start latency with an idle worker: one run at a time, the next after the previous
 * started. With notifications (PostgreSQL) the poll interval is the default 5 s, so only the
 * LISTEN/NOTIFY wake-up makes it fast; without, the worker polls every `idlePollSeconds`.
 */
export async function startLatency(target: BenchTarget, samples: number): Promise<Figure[]> {
  const latencies: number[] = [];
  let started!: () => void;
  const timed = defineJob<{ t: number }>({
    name: 'bench.latency',
    run: async (payload) => {
      latencies.push(performance.timeOrigin + performance.now() - payload.t);
      started();
    },
  });
  const durably = await start(target, {
    mode: 'both',
    concurrency: 5,
    jobs: [timed],
    ...(target.notifications ? {} : { pollIntervalSeconds: idlePollSeconds }),
  });
  await new Promise((resolve) => setTimeout(resolve, 200));
  for (let i = 0; i < samples; i += 1) {
    const begun = new Promise<void>((resolve) => (started = resolve));
    await durably.client.enqueue(timed, { t: performance.timeOrigin + performance.now() });
    await begun;
    // Idle again before the next sample.
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  await durably.stop();
  return [50, 95, 99].map((p) => ({
    metric: `enqueue→start latency p${p} (idle worker)`,
    value: percentile(latencies, p),
    unit: 'ms' as const,
    detail: `samples=${samples}${target.notifications ? '' : `, no notifications: polls every ${idlePollSeconds * 1000} ms`}`,
  }));
}
