/**
 * Real worker processes on one shared store (SQLite file; PostgreSQL when DURABLY_TEST_POSTGRES_URL
 * and MySQL/MariaDB when DURABLY_TEST_MYSQL_URL are set — and then they must be reachable, or these
 * tests fail). Leases are short real durations
 * (1–5 s) because real processes cannot share a fake clock.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  createClient,
  createJobRegistry,
  resolveOptions,
  systemClock,
  type DurablyClient,
  type DurablyStore,
} from '@durably/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readLedgers, spawnWorker, waitFor, type WorkerChild } from './test-support/spawn-worker.js';
import { createMySqlDatabase, dropTarget, openStore, uniqueSchema, type StoreTarget } from './test-support/test-stores.js';
import { poisonJob, workJob, type WorkerProcessConfig } from './test-support/worker-process.js';

const postgresUrl = process.env.DURABLY_TEST_POSTGRES_URL;
const dir = mkdtempSync(join(tmpdir(), 'durably-real-processes-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const mysqlUrl = process.env.DURABLY_TEST_MYSQL_URL;

const targets: { name: string; enabled: boolean; make(label: string): Promise<StoreTarget> }[] = [
  { name: 'sqlite', enabled: true, make: async (label) => ({ provider: 'sqlite', filename: join(dir, `${label}.db`) }) },
  {
    name: 'postgres',
    enabled: postgresUrl !== undefined && postgresUrl !== '',
    make: async (label) => ({ provider: 'postgres', url: postgresUrl!, schema: uniqueSchema(label) }),
  },
  {
    name: 'mysql',
    enabled: mysqlUrl !== undefined && mysqlUrl !== '',
    make: (label) => createMySqlDatabase(mysqlUrl!, label),
  },
];

for (const target of targets) {
  describe.skipIf(!target.enabled)(`real worker processes on ${target.name}`, () => {
    const children: WorkerChild[] = [];
    const stores: { store: DurablyStore | undefined; target: StoreTarget }[] = [];

    async function setUp(label: string): Promise<{ target: StoreTarget; store: DurablyStore; client: DurablyClient }> {
      const storeTarget = await target.make(label);
      const entry: (typeof stores)[number] = { store: undefined, target: storeTarget };
      stores.push(entry); // registered first: a failing migrate still drops what was created
      const store = openStore(storeTarget);
      entry.store = store;
      await store.migrate();
      const client = createClient({ store, registry: createJobRegistry([workJob, poisonJob]), options: resolveOptions(), clock: systemClock });
      return { target: storeTarget, store, client };
    }

    function config(storeTarget: StoreTarget, workerName: string, options: WorkerProcessConfig['options']): WorkerProcessConfig {
      return { target: storeTarget, workerName, ledger: join(dir, `${target.name}-${workerName}.ledger`), options };
    }

    async function start(cfg: WorkerProcessConfig, mayDieEarly = false): Promise<WorkerChild> {
      const child = await spawnWorker(cfg, { mayDieEarly });
      children.push(child);
      return child;
    }

    beforeAll(() => void 0);
    afterAll(async () => {
      for (const child of children) if (child.child.exitCode === null && child.child.signalCode === null) child.child.kill('SIGKILL');
      for (const { store, target: storeTarget } of stores) {
        await store?.close();
        await dropTarget(storeTarget);
      }
    });

    it('a worker SIGKILLed mid-run: the run is reclaimed after lease expiry and succeeds exactly once more', async () => {
      const { target: storeTarget, store, client } = await setUp('crash');
      const options = { leaseDurationSeconds: 1, pollIntervalSeconds: 0.2 };
      const runId = await client.enqueue(workJob, { id: 1, hangOnAttempt: 1 });
      const victim = await start(config(storeTarget, 'crash-a', options));
      const ledgers = [join(dir, `${target.name}-crash-a.ledger`), join(dir, `${target.name}-crash-b.ledger`)];
      await waitFor('the first attempt to start', () => readLedgers(ledgers).some((entry) => entry.event === 'start'));
      victim.child.kill('SIGKILL');
      expect((await victim.exited).signal).toBe('SIGKILL');
      expect((await store.runGet({ runId }))?.status).toBe('leased'); // the dead worker still "holds" it

      const rescuer = await start(config(storeTarget, 'crash-b', options));
      await waitFor('the run to succeed', async () => (await store.runGet({ runId }))?.status === 'succeeded');
      const run = await store.runGet({ runId });
      expect(run?.attempt).toBe(2);
      const attempts = await store.attemptList({ runId });
      expect(attempts.map((attempt) => [attempt.outcome, attempt.workerName])).toEqual([
        ['lease_expired', 'crash-a'],
        ['succeeded', 'crash-b'],
      ]);
      const done = readLedgers(ledgers).filter((entry) => entry.event === 'done');
      expect(done.map((entry) => [entry.runId, entry.worker])).toEqual([[runId, 'crash-b']]);
      console.log(`[${target.name}] crash recovery: 1 run, killed worker crash-a, reclaimed by crash-b at attempt 2, executions completed = ${done.length}`);
      rescuer.child.kill('SIGTERM');
      await rescuer.exited;
    }, 60_000);

    it('3 worker processes × 300 runs on one store: every run succeeds exactly once', async () => {
      const { target: storeTarget, store, client } = await setUp('scale');
      const total = 300;
      const names = ['scale-1', 'scale-2', 'scale-3'];
      const options = { leaseDurationSeconds: 10, pollIntervalSeconds: 0.2, maxConcurrentRuns: 5, batchSize: 5 };
      const workers = await Promise.all(names.map((name) => start(config(storeTarget, name, options))));
      // Enqueue only once every process is ready, with runs long enough (300 × 20 ms at 5 per worker
      // ≥ 1.2 s alone) that the others poll in: the test is about competing workers.
      await client.enqueueMany(workJob, Array.from({ length: total }, (_, id) => ({ id, sleepMs: 20 })));
      await waitFor(
        `${total} runs to succeed`,
        async () => (await store.runCountByStatus({})).succeeded === total,
        90_000,
      );
      for (const worker of workers) worker.child.kill('SIGTERM');
      const exits = await Promise.all(workers.map((worker) => worker.exited));
      // Hosting drains on SIGTERM, then exits with code 0.
      expect(exits).toEqual(names.map(() => ({ code: 0, signal: null })));

      const ledgers = names.map((name) => join(dir, `${target.name}-${name}.ledger`));
      const done = readLedgers(ledgers).filter((entry) => entry.event === 'done');
      const perRun = new Map<string, number>();
      for (const entry of done) perRun.set(entry.runId, (perRun.get(entry.runId) ?? 0) + 1);
      const duplicates = [...perRun.values()].reduce((sum, count) => sum + count - 1, 0);
      const perWorker = names.map((name) => done.filter((entry) => entry.worker === name).length);
      console.log(`[${target.name}] ${names.length} processes × ${total} runs: executions=${done.length}, distinct runs=${perRun.size}, duplicates=${duplicates}, per worker=${perWorker.join('/')}`);
      expect(perRun.size).toBe(total);
      expect(duplicates).toBe(0);
      expect(perWorker.filter((count) => count > 0).length).toBeGreaterThanOrEqual(2);
      const counts = await store.runCountByStatus({});
      expect(counts.succeeded).toBe(total);
      const page = await store.runList({ limit: 1000 });
      expect(Math.max(...page.runs.map((run) => run.attempt))).toBe(1); // nobody claimed a run twice
    }, 120_000);

    it('SIGTERM with runs in flight: one finishes within the grace period, one is aborted and later retried', async () => {
      const { target: storeTarget, store, client } = await setUp('sigterm');
      const options = { leaseDurationSeconds: 5, pollIntervalSeconds: 0.2, shutdownGraceSeconds: 2 };
      const quick = await client.enqueue(workJob, { id: 1, sleepMs: 700 });
      const stuck = await client.enqueue(workJob, { id: 2, hangOnAttempt: 1 });
      const first = await start(config(storeTarget, 'term-a', options));
      const ledgers = [join(dir, `${target.name}-term-a.ledger`), join(dir, `${target.name}-term-b.ledger`)];
      await waitFor('both runs to start', () => readLedgers(ledgers).filter((entry) => entry.event === 'start').length === 2);
      const signalledAt = Date.now();
      first.child.kill('SIGTERM');
      const exit = await first.exited;
      const shutdownMs = Date.now() - signalledAt;
      expect(exit).toEqual({ code: 0, signal: null });
      expect(shutdownMs).toBeLessThan(2_000 + 1_000 + 3_000); // grace + abort wait + process overhead

      expect((await store.runGet({ runId: quick }))?.status).toBe('succeeded');
      const interrupted = await store.runGet({ runId: stuck });
      expect(interrupted?.status).toBe('pending');
      expect(interrupted?.leaseOwner).toBeNull();
      expect((await store.attemptList({ runId: stuck })).map((attempt) => attempt.outcome)).toEqual(['interrupted']);

      const second = await start(config(storeTarget, 'term-b', options));
      await waitFor('the interrupted run to succeed', async () => (await store.runGet({ runId: stuck }))?.status === 'succeeded');
      const done = readLedgers(ledgers).filter((entry) => entry.event === 'done');
      expect(done.map((entry) => [entry.runId, entry.worker]).sort()).toEqual([[quick, 'term-a'], [stuck, 'term-b']].sort());
      console.log(`[${target.name}] SIGTERM: shutdown took ${shutdownMs} ms; quick run finished in grace, stuck run interrupted and finished by term-b`);
      second.child.kill('SIGTERM');
      await second.exited;
    }, 60_000);

    it('a poison pill that kills its worker every time ends failed after maxAttempts claims', async () => {
      const { target: storeTarget, store, client } = await setUp('poison');
      const options = { leaseDurationSeconds: 1, pollIntervalSeconds: 0.2 };
      const runId = await client.enqueue(poisonJob);
      const killed: string[] = [];
      let survivor: WorkerChild | undefined;
      for (let index = 1; index <= 4 && !survivor; index += 1) {
        const worker = await start(config(storeTarget, `poison-${index}`, options), true);
        const outcome = await Promise.race([
          worker.exited.then((exit) => exit.signal),
          waitFor('the run to fail', async () => (await store.runGet({ runId }))?.status === 'failed', 15_000).then(
            () => 'failed',
            () => 'timeout', // the race's loser must not reject unobserved
          ),
        ]);
        if (outcome === 'SIGKILL') killed.push(worker.name);
        else survivor = worker;
      }
      const run = await store.runGet({ runId });
      expect(run?.status).toBe('failed');
      expect(run?.attempt).toBe(2);
      expect(killed).toEqual(['poison-1', 'poison-2']);
      const attempts = await store.attemptList({ runId });
      expect(attempts.map((attempt) => [attempt.outcome, attempt.workerName])).toEqual([
        ['lease_expired', 'poison-1'],
        ['lease_expired', 'poison-2'],
      ]);
      console.log(`[${target.name}] poison pill: killed ${killed.length} workers, then failed at attempt ${run?.attempt} of 2`);
      survivor?.child.kill('SIGTERM');
      await survivor?.exited;
    }, 60_000);
  });
}
