import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EventEmitter } from 'node:events';
import { Writable } from 'node:stream';
import {
  ConfigurationError,
  createFakeClock,
  createMemoryStore,
  defineJob,
  JobDefinitionError,
  type DurablyStore,
} from '@durably/core';
import { drain } from '@durably/testing';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { createDurably, type CreateDurablyOptions, type Durably } from './create-durably.js';
import type { SignalProcess } from './handle-signals.js';

const instances: Durably[] = [];

function deferred<T>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((res) => {
    resolve = res;
  });
  return { promise, resolve };
}
afterEach(async () => {
  for (const durably of instances.splice(0)) await durably.stop({ graceMs: 100 });
});

/** A pino logger writing JSON lines into an array. */
function capturedPino() {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk, _encoding, callback) {
      for (const line of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(line) as Record<string, unknown>);
      callback();
    },
  });
  return { logger: pino({ level: 'debug' }, stream), lines };
}

async function create(input: Partial<CreateDurablyOptions> & Pick<CreateDurablyOptions, 'jobs'>): Promise<Durably> {
  const clock = createFakeClock();
  const durably = await createDurably({
    store: createMemoryStore({ clock }),
    clock,
    env: {},
    handleSignals: false,
    startWorker: false,
    logger: capturedPino().logger,
    workerName: 'test-worker',
    ...input,
  });
  instances.push(durably);
  return durably;
}

describe('createDurably', () => {
  it('migrates, syncs recurring schedules and runs jobs (both mode)', async () => {
    const ran: string[] = [];
    const hello = defineJob<string>({ name: 'hello', run: (payload) => void ran.push(payload) });
    const nightly = defineJob({ name: 'nightly', recurring: { cron: '0 3 * * *', timeZone: 'Europe/Berlin' }, run: () => {} });
    const clock = createFakeClock();
    const store = createMemoryStore({ clock });
    let migrations = 0;
    const migrate = store.migrate.bind(store);
    store.migrate = () => {
      migrations += 1;
      return migrate();
    };
    const durably = await create({ jobs: [hello, nightly], store, clock });
    expect(migrations).toBe(1);
    expect(durably.options.workerMode).toBe('both');
    expect(durably.syncReport?.inserted).toEqual(['nightly']);
    const schedule = await store.scheduleGet({ jobName: 'nightly' });
    expect(schedule?.nextRunAt?.toISOString()).toBe('2026-01-01T02:00:00.000Z');

    await durably.client.enqueue(hello, 'world');
    expect((await drain(durably)).runs).toBe(1);
    expect(ran).toEqual(['world']);
    const [run] = (await durably.runs.list({})).runs;
    expect(run?.status).toBe('succeeded');
  });

  it('starts the worker by default and it runs enqueued jobs on its own', async () => {
    const done = deferred<string>();
    const job = defineJob({ name: 'auto', run: (_payload, ctx) => done.resolve(ctx.runId) });
    const durably = await createDurably({
      store: createMemoryStore(), jobs: [job], env: {}, handleSignals: false, logger: capturedPino().logger,
    });
    instances.push(durably);
    expect(durably.worker?.state).toBe('running');
    const runId = await durably.client.enqueue(job);
    expect(await done.promise).toBe(runId);
  });

  it('producer mode runs no loops: no worker, no sync, runs stay pending', async () => {
    const job = defineJob({ name: 'p', run: () => {} });
    const nightly = defineJob({ name: 'nightly', recurring: { cron: '0 3 * * *' }, run: () => {} });
    const store = createMemoryStore();
    let subscriptions = 0;
    const subscribe = store.subscribeWork!.bind(store);
    store.subscribeWork = (listener) => {
      subscriptions += 1;
      return subscribe(listener);
    };
    const durably = await createDurably({
      store, jobs: [job, nightly], env: {}, handleSignals: false, logger: capturedPino().logger, workerMode: 'producer',
    });
    instances.push(durably);
    expect(durably.worker).toBeUndefined();
    expect(durably.syncReport).toBeUndefined();
    const runId = await durably.client.enqueue(job);
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect((await durably.runs.get(runId))?.status).toBe('pending');
    expect(subscriptions).toBe(0);
    expect(await store.scheduleGet({ jobName: 'nightly' })).toBeUndefined();
    await expect(drain(durably)).rejects.toThrow(/producer mode/);
  });

  it('consumer mode runs the worker', async () => {
    const job = defineJob({ name: 'c', run: () => {} });
    const durably = await create({ jobs: [job], workerMode: 'consumer' });
    expect(durably.worker).toBeDefined();
    await durably.client.enqueue(job);
    expect((await drain(durably)).runs).toBe(1);
  });

  it('reads options from a JSON file and the environment; code wins over both', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'durably-hosting-'));
    const file = join(dir, 'durably.json');
    writeFileSync(file, JSON.stringify({ Durably: { BatchSize: 7, PollIntervalSeconds: 9, MaxConcurrentRuns: 2 } }));
    const durably = await create({
      jobs: [defineJob({ name: 'x', run: () => {} })],
      configFile: file,
      env: { DURABLY_POLL_INTERVAL_SECONDS: '3', DURABLY_MAX_CONCURRENT_RUNS: '4' },
      maxConcurrentRuns: 6,
    });
    expect(durably.options.batchSize).toBe(7); // file
    expect(durably.options.pollIntervalSeconds).toBe(3); // env beats file
    expect(durably.options.maxConcurrentRuns).toBe(6); // code beats env
  });

  it('fails at startup with a typed error naming a bad option or job', async () => {
    const job = defineJob({ name: 'x', run: () => {} });
    await expect(create({ jobs: [job], env: { DURABLY_BATCH_SIZE: 'lots' } })).rejects.toBeInstanceOf(ConfigurationError);
    await expect(create({ jobs: [job], pollJitterRatio: 5 })).rejects.toThrow(/pollJitterRatio/);
    await expect(create({ jobs: [job, job] })).rejects.toBeInstanceOf(JobDefinitionError);
    const badCron = defineJob({ name: 'bad', recurring: { cron: '0 0 30 2 *' }, run: () => {} });
    await expect(create({ jobs: [badCron] })).rejects.toBeInstanceOf(JobDefinitionError);
  });

  it('binds a run-scoped child logger into ctx.logger', async () => {
    const { logger, lines } = capturedPino();
    const job = defineJob({ name: 'logs', run: (_payload, ctx) => ctx.logger.info('from handler', { orderId: 'o-1' }) });
    const durably = await create({ jobs: [job], logger });
    const runId = await durably.client.enqueue(job);
    await drain(durably);
    const line = lines.find((entry) => entry.msg === 'from handler');
    expect(line).toMatchObject({ level: 30, orderId: 'o-1', runId, jobName: 'logs', attempt: 1, workerName: 'test-worker' });
  });

  it('uses a pino logger at info level by default', async () => {
    const durably = await create({ jobs: [defineJob({ name: 'x', run: () => {} })], logger: undefined });
    expect((durably.logger as unknown as { level: string }).level).toBe('info');
  });

  it('creates a scope per execution and disposes it afterwards', async () => {
    const events: string[] = [];
    const job = defineJob({ name: 'scoped', run: (_payload, ctx) => void events.push(`run:${(ctx.scope as { id: number }).id}`) });
    let next = 0;
    const durably = await create({
      jobs: [job],
      createScope: () => {
        const id = (next += 1);
        events.push(`create:${id}`);
        return { id, dispose: () => void events.push(`dispose:${id}`) };
      },
    });
    await durably.client.enqueueMany(job, [undefined, undefined]);
    await drain(durably);
    expect(events.filter((event) => event.startsWith('dispose'))).toHaveLength(2);
    for (const id of [1, 2]) {
      const mine = events.filter((event) => event.endsWith(`:${id}`));
      expect(mine).toEqual([`create:${id}`, `run:${id}`, `dispose:${id}`]);
    }
  });

  it('stop() stops the worker and closes the store; twice is fine', async () => {
    const store: DurablyStore = createMemoryStore();
    const durably = await createDurably({ store, jobs: [], env: {}, handleSignals: false, logger: capturedPino().logger });
    await durably.stop({ graceMs: 10 });
    await durably.stop();
    expect(durably.worker?.state).toBe('stopped');
    expect(durably.worker?.pendingTimers).toBe(0);
    await expect(store.clockNow()).rejects.toThrow(/closed/);
  });
});

/** A process stand-in: an EventEmitter that records exit calls instead of exiting. */
function fakeProcess() {
  const emitter = new EventEmitter();
  const calls: string[] = [];
  const proc: SignalProcess = {
    once: (signal: NodeJS.Signals, listener: () => void) => emitter.once(signal, listener),
    removeListener: (signal: NodeJS.Signals, listener: () => void) => emitter.removeListener(signal, listener),
    exit: (code: number) => calls.push(`exit:${code}`),
  };
  return { emitter, proc, calls };
}

async function waitForCalls(calls: string[]): Promise<void> {
  for (let wait = 0; wait < 200 && calls.length === 0; wait += 1) await new Promise((resolve) => setTimeout(resolve, 5));
}

describe('signal handling', () => {
  it('drains on the first SIGTERM, calling onSignal first, then exits 0', async () => {
    const { emitter, proc, calls } = fakeProcess();
    const release = deferred<void>();
    const started = deferred<void>();
    const job = defineJob({
      name: 'inflight',
      run: async () => {
        started.resolve();
        await release.promise;
      },
    });
    const store = createMemoryStore();
    const { logger, lines } = capturedPino();
    const durably = await createDurably({
      store, jobs: [job], env: {}, logger, signalProcess: proc, shutdownGraceSeconds: 10,
      onSignal: (signal) => void calls.push(`onSignal:${signal}`),
    });
    const runId = await durably.client.enqueue(job);
    await started.promise;
    emitter.emit('SIGTERM');
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(durably.worker?.state).toBe('stopping');
    expect(calls).toEqual(['onSignal:SIGTERM']);
    release.resolve();
    for (let wait = 0; wait < 200 && calls.length < 2; wait += 1) await new Promise((resolve) => setTimeout(resolve, 5));
    expect(calls).toEqual(['onSignal:SIGTERM', 'exit:0']);
    expect(durably.worker?.state).toBe('stopped');
    expect(emitter.listenerCount('SIGTERM') + emitter.listenerCount('SIGINT')).toBe(0);
    expect(lines.some((line) => line.msg === 'stopped cleanly')).toBe(true);
    // The run finished within the grace period, before the store was closed.
    expect(lines.some((line) => line.msg === 'shutdown failed')).toBe(false);
    void runId;
  });

  it('exits 1 when stopping fails', async () => {
    const { emitter, proc, calls } = fakeProcess();
    const store = createMemoryStore();
    const failingStore: DurablyStore = Object.assign(Object.create(store) as DurablyStore, {
      close: () => Promise.reject(new Error('close failed')),
    });
    const { logger, lines } = capturedPino();
    await createDurably({ store: failingStore, jobs: [], env: {}, logger, signalProcess: proc });
    emitter.emit('SIGINT');
    await waitForCalls(calls);
    expect(calls).toEqual(['exit:1']);
    expect(lines.some((line) => line.msg === 'shutdown failed')).toBe(true);
    await store.close();
  });

  it('with exitOnSignal: false drains but leaves the process running', async () => {
    const { emitter, proc, calls } = fakeProcess();
    const durably = await createDurably({
      store: createMemoryStore(), jobs: [], env: {}, logger: capturedPino().logger, signalProcess: proc, exitOnSignal: false,
    });
    emitter.emit('SIGTERM');
    for (let wait = 0; wait < 200 && durably.worker?.state !== 'stopped'; wait += 1) await new Promise((resolve) => setTimeout(resolve, 5));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(durably.worker?.state).toBe('stopped');
    expect(calls).toEqual([]);
    expect(emitter.listenerCount('SIGTERM') + emitter.listenerCount('SIGINT')).toBe(0);
  });

  it.each([
    ['SIGINT', 'SIGTERM', 'exit:143'],
    ['SIGTERM', 'SIGINT', 'exit:130'],
  ] as const)('a second signal during the drain exits at once (%s then %s)', async (first, second, expected) => {
    const { emitter, proc, calls } = fakeProcess();
    const job = defineJob({ name: 'stuck', run: () => new Promise<void>(() => {}) });
    const durably = await createDurably({
      store: createMemoryStore(), jobs: [job], env: {}, logger: capturedPino().logger, signalProcess: proc,
      shutdownGraceSeconds: 0.1,
    });
    instances.push(durably);
    await durably.client.enqueue(job);
    await new Promise((resolve) => setTimeout(resolve, 20));
    emitter.emit(first);
    emitter.emit(second);
    expect(calls).toEqual([expected]);
  });

  it('installs nothing with handleSignals: false', async () => {
    const { emitter, proc } = fakeProcess();
    const durably = await create({ jobs: [], signalProcess: proc });
    expect(emitter.listenerCount('SIGTERM')).toBe(0);
    void durably;
  });
});

describe('cancellation from the same process', () => {
  it('aborts the running attempt at once, without waiting for the next heartbeat', async () => {
    const aborted = deferred<unknown>();
    const job = defineJob({
      name: 'long',
      run: (_payload, ctx) =>
        new Promise<void>((_resolve, reject) => ctx.signal.addEventListener('abort', () => {
          aborted.resolve(ctx.signal.reason);
          reject(ctx.signal.reason);
        })),
    });
    const durably = await createDurably({
      store: createMemoryStore(), jobs: [job], env: {}, handleSignals: false, logger: capturedPino().logger,
      leaseDurationSeconds: 600, // the regular heartbeat would come only after 5 minutes
    });
    instances.push(durably);
    const runId = await durably.client.enqueue(job);
    for (let wait = 0; wait < 200 && (await durably.runs.get(runId))?.status !== 'leased'; wait += 1) {
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    const started = Date.now();
    expect((await durably.client.cancel(runId)).outcome).toBe('cancel_requested');
    await aborted.promise;
    expect(Date.now() - started).toBeLessThan(1_000);
    for (let wait = 0; wait < 200 && (await durably.runs.get(runId))?.status !== 'cancelled'; wait += 1) {
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    expect((await durably.runs.get(runId))?.status).toBe('cancelled');
  });
});
