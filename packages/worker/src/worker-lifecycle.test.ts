import { defineJob, NonRetryableError, type JobConfig } from '@durably/core';
import { afterEach, describe, expect, it } from 'vitest';
import { createHarness, stopAndCheck, type Harness } from './test-support/harness.js';

let harness: Harness | undefined;
afterEach(async () => {
  if (harness) await stopAndCheck(harness.worker);
  harness = undefined;
});

/** A hand-written Standard Schema: `{ userId: string }`. */
const userSchema: NonNullable<JobConfig<{ userId: string }>['schema']> = {
  '~standard': {
    version: 1,
    vendor: 'test',
    validate(value: unknown) {
      const ok = typeof value === 'object' && value !== null && typeof (value as { userId?: unknown }).userId === 'string';
      return ok ? { value: value as { userId: string } } : { issues: [{ message: 'userId must be a string', path: ['userId'] }] };
    },
  },
};

describe('run lifecycle through the worker', () => {
  it('pending → leased → succeeded, with claimed/started/succeeded events and the attempt recorded', async () => {
    const seen: unknown[] = [];
    const job = defineJob<{ n: number }>({ name: 'ok', run: (payload, ctx) => void seen.push([payload, ctx.attempt]) });
    harness = createHarness({ jobs: [job] });
    const runId = await harness.client.enqueue(job, { n: 1 });
    expect((await harness.run(runId)).status).toBe('pending');

    const result = await harness.worker.drain();

    expect(result.runs).toBe(1);
    expect(seen).toEqual([[{ n: 1 }, 1]]);
    const run = await harness.run(runId);
    expect(run.status).toBe('succeeded');
    expect(run.attempt).toBe(1);
    expect(harness.eventTypes(runId)).toEqual(['job_claimed', 'job_started', 'job_succeeded']);
    const attempts = await harness.store.attemptList({ runId });
    expect(attempts.map((attempt) => [attempt.attempt, attempt.outcome, attempt.workerName])).toEqual([[1, 'succeeded', 'worker-1']]);
    expect(harness.errorLogs()).toEqual([]);
  });

  it('shows leased while the handler runs', async () => {
    let statusDuringRun: string | undefined;
    const job = defineJob({
      name: 'observe',
      run: async (_payload, ctx) => {
        statusDuringRun = (await harness!.store.runGet({ runId: ctx.runId }))?.status;
      },
    });
    harness = createHarness({ jobs: [job] });
    await harness.client.enqueue(job);
    await harness.worker.drain();
    expect(statusDuringRun).toBe('leased');
  });

  it('failure with attempts left → waiting_retry, then leased again → failed when none are left', async () => {
    const job = defineJob({ name: 'flaky', maxAttempts: 2, run: () => Promise.reject(new Error('boom')) });
    harness = createHarness({ jobs: [job], options: { retryDelay: '10s' } });
    const runId = await harness.client.enqueue(job);

    await harness.worker.drain();
    let run = await harness.run(runId);
    expect(run.status).toBe('waiting_retry');
    expect(run.lastError?.message).toBe('boom');
    expect(run.runAt.getTime() - harness.clock.now().getTime()).toBe(10_000);

    await harness.worker.drain(); // not due yet: nothing happens
    expect((await harness.run(runId)).status).toBe('waiting_retry');

    harness.clock.advance(10_000);
    await harness.worker.drain();
    run = await harness.run(runId);
    expect(run.status).toBe('failed');
    expect(run.attempt).toBe(2);
    expect(harness.eventTypes(runId)).toEqual([
      'job_claimed', 'job_started', 'job_failed', 'retry_scheduled',
      'job_claimed', 'job_retried', 'job_started', 'job_failed',
    ]);
    const failed = harness.events.filter((event) => event.type === 'job_failed');
    expect(failed.map((event) => event.type === 'job_failed' && event.terminal)).toEqual([false, true]);
    const attempts = await harness.store.attemptList({ runId });
    expect(attempts.map((attempt) => attempt.outcome)).toEqual(['retry_scheduled', 'failed']);
  });

  it('a synchronous throw is a failure like a rejected promise', async () => {
    const job = defineJob({
      name: 'sync-throw',
      maxAttempts: 1,
      run: () => {
        throw new TypeError('bad');
      },
    });
    harness = createHarness({ jobs: [job] });
    const runId = await harness.client.enqueue(job);
    await harness.worker.drain();
    const run = await harness.run(runId);
    expect(run.status).toBe('failed');
    expect(run.lastError).toMatchObject({ name: 'TypeError', message: 'bad' });
  });

  it('NonRetryableError fails the run at once even with attempts left', async () => {
    let calls = 0;
    const job = defineJob({
      name: 'non-retryable',
      maxAttempts: 5,
      run: () => {
        calls += 1;
        throw new NonRetryableError('user was deleted');
      },
    });
    harness = createHarness({ jobs: [job] });
    const runId = await harness.client.enqueue(job);
    await harness.worker.drain();
    harness.clock.advance(3_600_000);
    await harness.worker.drain();
    const run = await harness.run(runId);
    expect(calls).toBe(1);
    expect(run.status).toBe('failed');
    expect(run.lastError).toMatchObject({ name: 'NonRetryableError', message: 'user was deleted' });
  });

  it('a stored payload that fails the schema fails the run at once without calling the handler', async () => {
    let calls = 0;
    const job = defineJob<{ userId: string }>({ name: 'typed', schema: userSchema, maxAttempts: 5, run: () => void (calls += 1) });
    harness = createHarness({ jobs: [job] });
    // Raw insert: a stale shape written by old code or SQL, which enqueue would have refused.
    const [inserted] = await harness.store.runInsertMany({
      runs: [{
        jobName: 'typed', payloadJson: '{"userId":42}', queue: 'default', priority: 0, maxAttempts: 5,
        runAt: null, key: null, keyConflict: 'keep-existing', origin: 'enqueue', metadata: {},
      }],
    });
    await harness.worker.drain();
    const run = await harness.run(inserted!.runId);
    expect(calls).toBe(0);
    expect(run.status).toBe('failed');
    expect(run.attempt).toBe(1);
    expect(run.lastError?.name).toBe('PayloadError');
    expect(run.lastError?.message).toContain('userId');
    expect(harness.eventTypes(run.runId)).toEqual(['job_claimed', 'job_failed']);
  });

  it('hands the schema output to the handler', async () => {
    let received: unknown;
    const job = defineJob<{ userId: string }>({ name: 'typed-ok', schema: userSchema, run: (payload) => void (received = payload) });
    harness = createHarness({ jobs: [job] });
    await harness.client.enqueue(job, { userId: 'u1' });
    await harness.worker.drain();
    expect(received).toEqual({ userId: 'u1' });
  });

  it('gives the handler its context: ids, attempt, scheduledFor, metadata, logger', async () => {
    let seen: Record<string, unknown> = {};
    const job = defineJob({
      name: 'ctx',
      run: (_payload, ctx) => {
        ctx.logger.info('hello', { a: 1 });
        seen = {
          runId: ctx.runId, jobName: ctx.jobName, attempt: ctx.attempt, maxAttempts: ctx.maxAttempts,
          scheduledFor: ctx.scheduledFor.toISOString(), metadata: ctx.metadata, aborted: ctx.signal.aborted,
        };
      },
    });
    harness = createHarness({ jobs: [job] });
    const runId = await harness.client.enqueue(job, undefined, { metadata: { correlationId: 'c-1' } });
    await harness.worker.drain();
    expect(seen).toEqual({
      runId, jobName: 'ctx', attempt: 1, maxAttempts: 3,
      scheduledFor: '2026-01-01T00:00:00.000Z', metadata: { correlationId: 'c-1' }, aborted: false,
    });
    const line = harness.logs.find((record) => record.message === 'hello');
    expect(line?.fields).toMatchObject({ a: 1, runId, jobName: 'ctx', attempt: 1, workerName: 'worker-1' });
  });

  it('never claims more than maxConcurrentRuns at once and runs the rest as capacity frees', async () => {
    let running = 0;
    let peak = 0;
    const job = defineJob<number>({
      name: 'bounded',
      run: async () => {
        running += 1;
        peak = Math.max(peak, running);
        await new Promise((resolve) => setImmediate(resolve));
        running -= 1;
      },
    });
    harness = createHarness({ jobs: [job], options: { maxConcurrentRuns: 3, batchSize: 50 } });
    await harness.client.enqueueMany(job, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    const result = await harness.worker.drain();
    expect(result.runs).toBe(10);
    expect(peak).toBe(3);
    expect((await harness.store.runCountByStatus({})).succeeded).toBe(10);
  });

  it('claims by priority, then due time', async () => {
    const order: string[] = [];
    const job = defineJob<string>({ name: 'ordered', run: (payload) => void order.push(payload) });
    harness = createHarness({ jobs: [job], options: { maxConcurrentRuns: 1 } });
    await harness.client.enqueue(job, 'low-first');
    harness.clock.advance(1);
    await harness.client.enqueue(job, 'high', { priority: 10 });
    harness.clock.advance(1);
    await harness.client.enqueue(job, 'low-second');
    await harness.worker.drain();
    expect(order).toEqual(['high', 'low-first', 'low-second']);
  });

  it('serves only its queues when given some', async () => {
    const ran: string[] = [];
    const mail = defineJob({ name: 'mail', queue: 'mail', run: () => void ran.push('mail') });
    const reports = defineJob({ name: 'reports', queue: 'reports', run: () => void ran.push('reports') });
    harness = createHarness({ jobs: [mail, reports], options: { queues: ['mail'] } });
    await harness.client.enqueue(mail);
    const reportId = await harness.client.enqueue(reports);
    await harness.worker.drain();
    expect(ran).toEqual(['mail']);
    expect((await harness.run(reportId)).status).toBe('pending');
  });

  it('leaves runs of jobs it does not define pending, never claimed', async () => {
    const known = defineJob({ name: 'known', run: () => {} });
    harness = createHarness({ jobs: [known] });
    const [inserted] = await harness.store.runInsertMany({
      runs: [{
        jobName: 'removed-from-code', payloadJson: 'null', queue: 'default', priority: 100, maxAttempts: 3,
        runAt: null, key: null, keyConflict: 'keep-existing', origin: 'enqueue', metadata: {},
      }],
    });
    await harness.client.enqueue(known);
    const result = await harness.worker.drain();
    expect(result.runs).toBe(1);
    const orphan = await harness.run(inserted!.runId);
    expect(orphan.status).toBe('pending');
    expect(orphan.attempt).toBe(0);
  });

  it('disposes the per-execution scope after the attempt, whatever the outcome', async () => {
    const disposed: string[] = [];
    const job = defineJob<string>({
      name: 'scoped',
      maxAttempts: 1,
      run: (payload, ctx) => {
        expect((ctx.scope as { tag: string }).tag).toBe(`scope:${ctx.runId}`);
        if (payload === 'fail') throw new Error('x');
      },
    });
    harness = createHarness({
      jobs: [job],
      createScope: async (ctx) => ({ tag: `scope:${ctx.runId}`, async [Symbol.asyncDispose]() { disposed.push(ctx.runId); } }),
    });
    const ok = await harness.client.enqueue(job, 'ok');
    const bad = await harness.client.enqueue(job, 'fail');
    await harness.worker.drain();
    expect(disposed.sort()).toEqual([ok, bad].sort());
    expect((await harness.run(ok)).status).toBe('succeeded');
    expect((await harness.run(bad)).status).toBe('failed');
  });

  it('a throwing scope factory fails the attempt (retryable) and the handler never runs', async () => {
    let calls = 0;
    const job = defineJob({ name: 'no-scope', maxAttempts: 2, run: () => void (calls += 1) });
    harness = createHarness({
      jobs: [job],
      createScope: () => {
        throw new Error('database pool exhausted');
      },
    });
    const runId = await harness.client.enqueue(job);
    await harness.worker.drain();
    const run = await harness.run(runId);
    expect(calls).toBe(0);
    expect(run.status).toBe('waiting_retry');
    expect(run.lastError?.message).toBe('database pool exhausted');
  });

  it('a throwing event sink never changes an outcome', async () => {
    const job = defineJob({ name: 'sink', run: () => {} });
    harness = createHarness({ jobs: [job] });
    const { store, registry, options, clock } = harness;
    const { createWorker } = await import('./create-worker.js');
    const worker = createWorker({ store, registry, options, clock, events: { emit: () => { throw new Error('sink down'); } } });
    const runId = await harness.client.enqueue(job);
    await worker.drain();
    expect((await harness.run(runId)).status).toBe('succeeded');
    await stopAndCheck(worker);
  });
});
