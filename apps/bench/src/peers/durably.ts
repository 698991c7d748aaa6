import { defineJob } from '@durably/core';
import { createDurably, type Durably } from '@durably/hosting';
import { createPostgresStore } from '@durably/postgres';
import pg from 'pg';
import { silentLogger, type BenchPayload, type PeerAdapter, type PeerTarget } from './peer-adapter.js';

const POOL_SIZE = 10;

/**
 * Durably on PostgreSQL through its public API, as a user runs it: client validation, retries
 * configured (3 attempts), history kept, fenced batched completions, leases from the database clock.
 * The producer and the worker are separate instances on the same schema, like the peers' utils/runner.
 */
export function createDurablyAdapter(target: PeerTarget): PeerAdapter {
  let onStart: (payload: BenchPayload) => void = () => {};
  const noop = defineJob<BenchPayload>({
    name: 'bench.noop',
    maxAttempts: 3,
    run: async (payload) => onStart(payload),
  });
  let producer: Durably | undefined;
  let worker: Durably | undefined;
  const open = (mode: 'producer' | 'both', concurrency: number) =>
    createDurably({
      store: createPostgresStore({
        connectionString: target.postgresUrl,
        schema: target.schema,
        poolSize: POOL_SIZE,
      }),
      jobs: [noop],
      workerMode: mode,
      maxConcurrentRuns: concurrency,
      prefetchRuns: prefetchFor(),
      batchSize: batchSizeFor(),
      env: {},
      handleSignals: false,
      logger: silentLogger as never,
    });
  return {
    name: 'Durably',
    settings: `createPostgresStore poolSize ${POOL_SIZE} (+2 claim, +2 lease connections; claims commit asynchronously, enqueues and finishes wait for fsync), maxConcurrentRuns = concurrency, batchSize ${batchSizeFor()} (runs claimed per poll), prefetchRuns ${prefetchFor()} (runs claimed ahead of free slots), pollIntervalSeconds 5 (LISTEN/NOTIFY wakes), maxAttempts 3, history kept`,
    async setup() {
      await dropSchema(target);
      producer = await open('producer', 5);
    },
    async enqueueOne(payload) {
      await producer!.client.enqueue(noop, payload);
    },
    async enqueueBulk(count) {
      await producer!.client.enqueueMany(
        noop,
        Array.from({ length: count }, () => ({})),
      );
    },
    async startWorker(concurrency, callback) {
      onStart = callback;
      worker = await open('both', concurrency);
    },
    async countDone() {
      const counts = await producer!.store.runCountByStatus({});
      return counts.succeeded;
    },
    async teardown() {
      await worker?.stop();
      await producer?.stop();
      await dropSchema(target);
    },
  };
}

/**
 * Claims of a few hundred rows pay off (issue 9): here 100 → 300 → 500 gave about +40 % each step
 * at concurrency 50, 1 000 no more; 500 is also graphile-worker's local queue size.
 * `DURABLY_BENCH_BATCH_SIZE` overrides it for experiments.
 */
function batchSizeFor(): number {
  return Number(process.env.DURABLY_BENCH_BATCH_SIZE ?? 500);
}

/**
 * Runs claimed ahead of free slots, like graphile-worker's local queue of 500: a busy worker then
 * claims hundreds of runs per statement. `DURABLY_BENCH_PREFETCH` overrides it for experiments.
 */
function prefetchFor(): number {
  return Number(process.env.DURABLY_BENCH_PREFETCH ?? 500);
}

/** Drops the adapter's schema with a short-lived client. */
export async function dropSchema(target: PeerTarget): Promise<void> {
  const client = new pg.Client({ connectionString: target.postgresUrl });
  await client.connect();
  try {
    await client.query(`drop schema if exists "${target.schema}" cascade`);
  } finally {
    await client.end();
  }
}
