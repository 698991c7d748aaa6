import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createFakeClock } from '../clock.js';
import { InvalidArgumentError, PayloadError, RunKeyConflictError, UnknownJobError } from '../errors.js';
import { defineJob, type JobDefinition } from '../job-definition.js';
import { createMemoryStore } from '../memory/memory-store.js';
import { resolveOptions } from '../options/resolve-options.js';
import { createJobRegistry } from '../registry/job-registry.js';
import type { DurablyStore } from '../store.js';
import { createClient } from './durably-client.js';

const run = () => undefined;
const welcome = defineJob({ name: 'email.welcome', schema: z.object({ userId: z.string() }), maxAttempts: 5, run });
const ping = defineJob({ name: 'ping', queue: 'fast', priority: 3, run });
const report = defineJob<{ day: string }>({ name: 'report', run });

function setup(payloadMaxBytes?: number) {
  const clock = createFakeClock('2026-03-01T10:00:00Z');
  const store = createMemoryStore({ clock });
  const registry = createJobRegistry([welcome, ping, report]);
  const options = resolveOptions(payloadMaxBytes === undefined ? {} : { payloadMaxBytes });
  return { clock, store, client: createClient({ store, registry, options, clock }) };
}

async function storedRuns(store: DurablyStore) {
  return (await store.runList({ limit: 100 })).runs;
}

/** Asserts the call rejects with `type` and that the store holds no run afterwards. */
async function expectRejectedAndNothingStored<E extends Error>(
  store: DurablyStore,
  call: () => Promise<unknown>,
  type: new (...args: never[]) => E,
): Promise<E> {
  const error = await call().then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(type);
  expect(await storedRuns(store)).toHaveLength(0);
  return error as E;
}

describe('DurablyClient.enqueue', () => {
  it('stores a run with the definition defaults, due at the store now', async () => {
    const { client, store } = setup();
    const runId = await client.enqueue(welcome, { userId: 'u1' });
    const run = await store.runGet({ runId });
    expect(run).toMatchObject({
      jobName: 'email.welcome',
      payload: { userId: 'u1' },
      status: 'pending',
      queue: 'default',
      priority: 0,
      maxAttempts: 5,
      origin: 'enqueue',
      key: null,
      metadata: {},
    });
    expect(run?.runAt.toISOString()).toBe('2026-03-01T10:00:00.000Z');
  });

  it('enqueues a void job without payload and applies option overrides', async () => {
    const { client, store, clock } = setup();
    const runId = await client.enqueue(ping, undefined, {
      priority: -2,
      queue: 'slow',
      delay: '5m',
      metadata: { traceparent: '00-abc' },
    });
    const run = await store.runGet({ runId });
    expect(run).toMatchObject({ payload: null, priority: -2, queue: 'slow', origin: 'schedule', metadata: { traceparent: '00-abc' } });
    expect(run?.runAt.getTime()).toBe(clock.now().getTime() + 5 * 60_000);
    const second = await client.enqueue(ping);
    expect((await store.runGet({ runId: second }))?.queue).toBe('fast');
  });

  it('accepts runAt and a numeric delay in milliseconds', async () => {
    const { client, store, clock } = setup();
    const at = new Date('2026-03-02T00:00:00Z');
    const first = await client.enqueue(report, { day: 'mon' }, { runAt: at });
    expect((await store.runGet({ runId: first }))?.runAt).toEqual(at);
    const second = await client.enqueue(report, { day: 'tue' }, { delay: 1500 });
    expect((await store.runGet({ runId: second }))?.runAt.getTime()).toBe(clock.now().getTime() + 1500);
  });

  it('returns the existing run for a duplicate key and propagates a reject conflict', async () => {
    const { client, store } = setup();
    const first = await client.enqueue(report, { day: 'mon' }, { key: 'day:mon' });
    expect(await client.enqueue(report, { day: 'mon' }, { key: 'day:mon' })).toBe(first);
    const error = await client.enqueue(report, { day: 'mon' }, { key: 'day:mon', keyConflict: 'reject' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RunKeyConflictError);
    expect(await storedRuns(store)).toHaveLength(1);
  });

  it('rejects a job that is not registered', async () => {
    const { client, store } = setup();
    const stranger = defineJob({ name: 'not.registered', run });
    await expectRejectedAndNothingStored(store, () => client.enqueue(stranger), UnknownJobError);
    await expectRejectedAndNothingStored(store, () => client.enqueue('ping' as unknown as JobDefinition<void>), InvalidArgumentError);
  });

  it('rejects payloads failing the schema, the JSON rules or the size limit', async () => {
    const { client, store } = setup(64);
    const schemaError = await expectRejectedAndNothingStored(
      store,
      () => client.enqueue(welcome, { userId: 7 } as unknown as { userId: string }),
      PayloadError,
    );
    expect(schemaError.path).toBe('$.userId');
    const dateError = await expectRejectedAndNothingStored(
      store,
      () => client.enqueue(report, { day: new Date() } as unknown as { day: string }),
      PayloadError,
    );
    expect(dateError.path).toBe('$.day');
    const sizeError = await expectRejectedAndNothingStored(store, () => client.enqueue(report, { day: 'x'.repeat(100) }), PayloadError);
    expect(sizeError.message).toMatch(/payloadMaxBytes/);
  });

  it.each([
    ['an invalid Date', { runAt: new Date('nope') }, 'opts.runAt'],
    ['a string runAt', { runAt: '2026-01-01' }, 'opts.runAt'],
    ['a negative delay', { delay: -1 }, 'opts.delay'],
    ['an unreadable delay', { delay: 'soon' }, 'opts.delay'],
    ['an infinite delay', { delay: Infinity }, 'opts.delay'],
    ['delay and runAt', { delay: 5, runAt: new Date() }, 'opts.delay'],
    ['a non-string metadata value', { metadata: { n: 1 } }, 'opts.metadata.n'],
    ['metadata that is an array', { metadata: ['a'] }, 'opts.metadata'],
    ['metadata that is a Map', { metadata: new Map() }, 'opts.metadata'],
    ['a key longer than 255', { key: 'k'.repeat(256) }, 'opts.key'],
    ['an empty key', { key: '' }, 'opts.key'],
    ['a key with NUL', { key: 'a\u0000' }, 'opts.key'],
    ['metadata with a lone surrogate', { metadata: { t: '\ud800' } }, 'opts.metadata.t'],
    ['keyConflict without key', { keyConflict: 'reject' }, 'opts.keyConflict'],
    ['an unknown keyConflict', { key: 'k', keyConflict: 'overwrite' }, 'opts.keyConflict'],
    ['a fractional priority', { priority: 1.5 }, 'opts.priority'],
    ['a bad queue', { queue: 'no spaces please' }, 'opts.queue'],
    ['an unknown option', { dealy: 5 }, 'opts.dealy'],
    ['a transaction on the memory store', { transaction: {} }, 'opts.transaction'],
  ])('rejects %s', async (_label, opts, argument) => {
    const { client, store } = setup();
    const error = await expectRejectedAndNothingStored(
      store,
      () => client.enqueue(report, { day: 'mon' }, opts as never),
      InvalidArgumentError,
    );
    expect(error.argument).toBe(argument);
  });

  it('accepts a key of exactly 255 characters', async () => {
    const { client, store } = setup();
    const runId = await client.enqueue(report, { day: 'mon' }, { key: 'k'.repeat(255) });
    expect((await store.runGet({ runId }))?.key).toHaveLength(255);
  });
});

describe('DurablyClient typing', () => {
  it('types the payload from the job definition (checked by tsc)', async () => {
    const { client, store } = setup();
    // @ts-expect-error day must be a string
    await expect(client.enqueue(report, { day: 1 })).resolves.toBeTypeOf('string');
    // @ts-expect-error the payload is required for a job with a payload type
    await expect(client.enqueue(report)).resolves.toBeTypeOf('string');
    await expect(client.enqueue(ping)).resolves.toBeTypeOf('string');
    // Without a schema only the JSON rules apply at run time: the three runs are stored.
    expect(await storedRuns(store)).toHaveLength(3);
  });
});

describe('DurablyClient.enqueueByName', () => {
  it('enqueues a registered job by name and rejects unknown names', async () => {
    const { client, store } = setup();
    const runId = await client.enqueueByName('email.welcome', { userId: 'u9' }, { key: 'cli' });
    expect((await store.runGet({ runId }))?.payload).toEqual({ userId: 'u9' });
    const error = await client.enqueueByName('missing', {}).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnknownJobError);
    await expect(client.enqueueByName('email.welcome', { userId: 1 })).rejects.toBeInstanceOf(PayloadError);
    expect(await storedRuns(store)).toHaveLength(1);
  });
});

describe('DurablyClient.enqueueMany', () => {
  it('inserts payloads in one call, in order', async () => {
    const { client, store } = setup();
    const results = await client.enqueueMany(report, [{ day: 'mon' }, { day: 'tue' }], { priority: 4 });
    expect(results.map((result) => result.outcome)).toEqual(['inserted', 'inserted']);
    const runs = await Promise.all(results.map((result) => store.runGet({ runId: result.runId })));
    expect(runs.map((run) => [run?.payload, run?.priority])).toEqual([
      [{ day: 'mon' }, 4],
      [{ day: 'tue' }, 4],
    ]);
  });

  it('accepts { payload, opts } items whose options override the call', async () => {
    const { client, store } = setup();
    const results = await client.enqueueMany(
      report,
      [{ payload: { day: 'mon' }, opts: { key: 'mon', priority: 9 } }, { payload: { day: 'tue' } }],
      { priority: 1, delay: 1000 },
    );
    const [mon, tue] = await Promise.all(results.map((result) => store.runGet({ runId: result.runId })));
    expect(mon).toMatchObject({ key: 'mon', priority: 9, payload: { day: 'mon' } });
    expect(tue).toMatchObject({ key: null, priority: 1, payload: { day: 'tue' } });
    const duplicate = await client.enqueueMany(report, [{ payload: { day: 'mon' }, opts: { key: 'mon' } }]);
    expect(duplicate).toEqual([{ runId: mon?.runId, outcome: 'existing' }]);
  });

  it('stores nothing when one item is invalid, naming the item', async () => {
    const { client, store } = setup();
    const payloadError = await expectRejectedAndNothingStored(
      store,
      () => client.enqueueMany(report, [{ day: 'mon' }, { day: 1n } as unknown as { day: string }]),
      PayloadError,
    );
    expect(payloadError.message).toMatch(/items\[1\]/);
    const optionError = await expectRejectedAndNothingStored(
      store,
      () => client.enqueueMany(report, [{ payload: { day: 'mon' } }, { payload: { day: 'tue' }, opts: { delay: -5 } }]),
      InvalidArgumentError,
    );
    expect(optionError.argument).toBe('items[1].opts.delay');
    await expectRejectedAndNothingStored(
      store,
      () => client.enqueueMany(report, [{ payload: { day: 'mon' } }, { day: 'tue' }] as unknown as { day: string }[]),
      InvalidArgumentError,
    );
  });

  it('makes one store call per batch, and none for an empty list', async () => {
    const { store, clock } = setup();
    const calls: number[] = [];
    // A real memory store that records how often runInsertMany is called.
    const counting: DurablyStore = Object.create(store, {
      runInsertMany: { value: (params: Parameters<DurablyStore['runInsertMany']>[0]) => (calls.push(params.runs.length), store.runInsertMany(params)) },
    }) as DurablyStore;
    const client = createClient({ store: counting, registry: createJobRegistry([report]), options: resolveOptions(), clock });
    await client.enqueueMany(report, [{ day: 'a' }, { day: 'b' }, { day: 'c' }]);
    await expect(client.enqueueMany(report, [])).resolves.toEqual([]);
    expect(calls).toEqual([3]);
    expect(await storedRuns(store)).toHaveLength(3);
  });
});

describe('DurablyClient.schedule', () => {
  it('schedules at a Date or after a delay, with origin schedule', async () => {
    const { client, store, clock } = setup();
    const at = new Date('2026-03-01T12:00:00Z');
    const first = await client.schedule(report, { day: 'mon' }, at);
    expect(await store.runGet({ runId: first })).toMatchObject({ runAt: at, scheduledFor: at, origin: 'schedule' });
    const second = await client.schedule(report, { day: 'tue' }, { delay: '1h' }, { key: 'tue' });
    expect((await store.runGet({ runId: second }))?.runAt.getTime()).toBe(clock.now().getTime() + 3_600_000);
  });

  it('rejects a bad time and stores nothing', async () => {
    const { client, store } = setup();
    for (const at of [new Date(Number.NaN), { delay: -1 }, '2026-01-01', { when: 5 }]) {
      await expectRejectedAndNothingStored(store, () => client.schedule(report, { day: 'x' }, at as never), InvalidArgumentError);
    }
    await expectRejectedAndNothingStored(
      store,
      () => client.schedule(report, { day: 'x' }, new Date(), { runAt: new Date() } as never),
      InvalidArgumentError,
    );
  });
});

describe('DurablyClient.cancel', () => {
  it('cancels a pending run, then says it is already finished', async () => {
    const { client } = setup();
    const runId = await client.enqueue(report, { day: 'mon' });
    const first = await client.cancel(runId);
    expect(first.outcome).toBe('cancelled');
    expect(first.run?.status).toBe('cancelled');
    expect((await client.cancel(runId)).outcome).toBe('already_finished');
    expect((await client.cancel('no-such-run')).outcome).toBe('not_found');
    await expect(client.cancel('')).rejects.toBeInstanceOf(InvalidArgumentError);
  });

  it('requests cancellation of a leased run', async () => {
    const { client, store } = setup();
    const runId = await client.enqueue(report, { day: 'mon' });
    await store.runClaim({ workerName: 'w1', limit: 1, leaseDurationMs: 30_000, jobNames: ['report'] });
    expect((await client.cancel(runId)).outcome).toBe('cancel_requested');
  });

  it('cancels every active run of a job', async () => {
    const { client, store } = setup();
    await client.enqueueMany(report, [{ day: 'a' }, { day: 'b' }]);
    await client.enqueue(ping);
    expect(await client.cancelJob(report)).toEqual({ cancelled: 2, cancelRequested: 0 });
    expect(await client.cancelJob('ping')).toEqual({ cancelled: 1, cancelRequested: 0 });
    const counts = await store.runCountByStatus({});
    expect(counts.cancelled).toBe(3);
  });
});
