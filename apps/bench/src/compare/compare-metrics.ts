import { performance } from 'node:perf_hooks';
import { percentile } from '../bench-stats.js';
import type { BenchPayload, PeerAdapter } from '../peers/peer-adapter.js';

/** The metrics of issue 9, each run by one child process for one system. */
export const METRICS = ['enqueue-one', 'enqueue-bulk', 'drain-10', 'drain-50', 'latency'] as const;
export type MetricName = (typeof METRICS)[number];

/** One measured value; `better` says which direction wins (for reading ratios). */
export interface MetricValue {
  figure: string;
  value: number;
  unit: 'jobs/s' | 'ms';
  better: 'higher' | 'lower';
}

/** Sizes of a run: `n` jobs per throughput metric, `samples` enqueue→start measurements. */
export interface MetricSizes {
  n: number;
  samples: number;
}

const IN_FLIGHT = 50;
const BULK = 1_000;
const LATENCY_CONCURRENCY = 5;

/** Runs one metric on an adapter that is already set up; the caller tears it down. */
export async function runMetric(
  adapter: PeerAdapter,
  metric: MetricName,
  sizes: MetricSizes,
): Promise<MetricValue[]> {
  switch (metric) {
    case 'enqueue-one':
      return enqueueOne(adapter, sizes.n);
    case 'enqueue-bulk':
      return enqueueBulk(adapter, sizes.n);
    case 'drain-10':
      return drain(adapter, sizes.n, 10);
    case 'drain-50':
      return drain(adapter, sizes.n, 50);
    case 'latency':
      return latency(adapter, sizes.samples);
  }
}

async function enqueueOne(adapter: PeerAdapter, n: number): Promise<MetricValue[]> {
  const latencies: number[] = [];
  let next = 0;
  const began = performance.now();
  await Promise.all(
    Array.from({ length: IN_FLIGHT }, async () => {
      while (next < n) {
        next += 1;
        const t0 = performance.now();
        await adapter.enqueueOne({});
        latencies.push(performance.now() - t0);
      }
    }),
  );
  const seconds = (performance.now() - began) / 1000;
  return [
    {
      figure: `enqueue one at a time, ${IN_FLIGHT} in flight`,
      value: n / seconds,
      unit: 'jobs/s',
      better: 'higher',
    },
    { figure: 'per-call enqueue latency p50', value: percentile(latencies, 50), unit: 'ms', better: 'lower' },
    { figure: 'per-call enqueue latency p99', value: percentile(latencies, 99), unit: 'ms', better: 'lower' },
  ];
}

async function enqueueBulk(adapter: PeerAdapter, n: number): Promise<MetricValue[]> {
  const began = performance.now();
  for (let done = 0; done < n; done += BULK) await adapter.enqueueBulk(Math.min(BULK, n - done));
  const seconds = (performance.now() - began) / 1000;
  return [{ figure: `enqueue bulk, ${BULK} per call`, value: n / seconds, unit: 'jobs/s', better: 'higher' }];
}

/** Enqueues `n` jobs (untimed), then times a worker from its start until all are recorded done. */
async function drain(adapter: PeerAdapter, n: number, concurrency: number): Promise<MetricValue[]> {
  for (let done = 0; done < n; done += BULK) await adapter.enqueueBulk(Math.min(BULK, n - done));
  let handled = 0;
  let allHandled!: () => void;
  const handledAll = new Promise<void>((resolve) => (allHandled = resolve));
  const began = performance.now();
  await adapter.startWorker(concurrency, () => {
    handled += 1;
    if (handled === n) allHandled();
  });
  await handledAll;
  // Handlers returning is not the end: the completion must be recorded in the store.
  while ((await adapter.countDone()) < n) await sleep(10);
  const seconds = (performance.now() - began) / 1000;
  return [
    { figure: `drain at concurrency ${concurrency}`, value: n / seconds, unit: 'jobs/s', better: 'higher' },
  ];
}

/** One job at a time into an idle worker; the time from before the enqueue call to the handler's start. */
async function latency(adapter: PeerAdapter, samples: number): Promise<MetricValue[]> {
  const latencies: number[] = [];
  let started: () => void = () => {};
  await adapter.startWorker(LATENCY_CONCURRENCY, (payload: BenchPayload) => {
    if (payload.t !== undefined) latencies.push(performance.timeOrigin + performance.now() - payload.t);
    started();
  });
  await sleep(500);
  for (let i = 0; i < samples; i += 1) {
    const begun = new Promise<void>((resolve) => (started = resolve));
    await adapter.enqueueOne({ t: performance.timeOrigin + performance.now() });
    await begun;
    await sleep(5); // idle again before the next sample
  }
  return [
    {
      figure: 'enqueue→start latency p50, idle worker',
      value: percentile(latencies, 50),
      unit: 'ms',
      better: 'lower',
    },
    {
      figure: 'enqueue→start latency p99, idle worker',
      value: percentile(latencies, 99),
      unit: 'ms',
      better: 'lower',
    },
  ];
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
