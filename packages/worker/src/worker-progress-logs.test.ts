import { defineJob } from '@durably/core';
import { afterEach, describe, expect, it } from 'vitest';
import { createHarness, deferred, stopAndCheck, tick, type Harness } from './test-support/harness.js';

let harness: Harness | undefined;
afterEach(async () => {
  if (harness) await stopAndCheck(harness.worker, 100);
  harness = undefined;
});

function countCalls(h: Harness) {
  const counts = { progress: 0, logs: 0, lines: [] as number[] };
  const setProgress = h.store.runProgressSet.bind(h.store);
  const append = h.store.runLogAppend.bind(h.store);
  h.store.runProgressSet = (params) => {
    counts.progress += 1;
    return setProgress(params);
  };
  h.store.runLogAppend = (params) => {
    counts.logs += 1;
    counts.lines.push(params.lines.length);
    return append(params);
  };
  return counts;
}

describe('progress and log lines', () => {
  it('buffers lines and writes them in batches of flushBatchSize (default 50)', async () => {
    const job = defineJob({
      name: 'chatty',
      run: (_payload, ctx) => {
        for (let line = 1; line <= 120; line += 1) ctx.log(`line ${line}`);
      },
    });
    harness = createHarness({ jobs: [job] });
    const counts = countCalls(harness);
    const runId = await harness.client.enqueue(job);
    await harness.worker.drain();
    expect(counts.lines.reduce((sum, count) => sum + count, 0)).toBe(120);
    expect(counts.logs).toBeLessThanOrEqual(3);
    const lines = await harness.store.runLogList({ runId, limit: 1000 });
    expect(lines.map((line) => line.message)).toEqual(Array.from({ length: 120 }, (_, index) => `line ${index + 1}`));
    expect(lines[0]).toMatchObject({ attempt: 1, level: 'info' });
  });

  it('keeps only the newest 1 000 lines of a run', async () => {
    const job = defineJob({
      name: 'flood',
      run: (_payload, ctx) => {
        for (let line = 1; line <= 1_500; line += 1) ctx.log(`line ${line}`, line % 2 ? 'debug' : 'warn');
      },
    });
    harness = createHarness({ jobs: [job] });
    const runId = await harness.client.enqueue(job);
    await harness.worker.drain();
    const lines = await harness.store.runLogList({ runId, limit: 5_000 });
    expect(lines).toHaveLength(1_000);
    expect(lines[0]?.message).toBe('line 501');
    expect(lines.at(-1)?.message).toBe('line 1500');
  });

  it('writes progress in batches (latest value per attempt) and before the ending', async () => {
    const midway = deferred();
    const release = deferred();
    const job = defineJob({
      name: 'progress',
      run: async (_payload, ctx) => {
        for (let pct = 0; pct <= 40; pct += 10) ctx.progress(pct, `at ${pct}`);
        midway.resolve();
        await release.promise;
        ctx.progress(100, 'done');
      },
    });
    harness = createHarness({ jobs: [job], options: { logs: { flushIntervalSeconds: 60 } } });
    const counts = countCalls(harness);
    const runId = await harness.client.enqueue(job);
    await harness.worker.runOnce();
    await midway.promise;
    await tick();
    expect(counts.progress).toBe(0); // buffered: below the batch size, interval not reached
    await harness.worker.flush();
    expect(counts.progress).toBe(1);
    expect((await harness.run(runId)).progressPercent).toBe(40);
    release.resolve();
    await harness.worker.whenIdle();
    const run = await harness.run(runId);
    expect(run.status).toBe('succeeded');
    expect([run.progressPercent, run.progressMessage]).toEqual([100, 'done']);
  });

  it('flushes on its interval timer when the worker runs', async () => {
    const logged = deferred();
    const release = deferred();
    const job = defineJob({
      name: 'interval',
      run: async (_payload, ctx) => {
        ctx.log('first');
        logged.resolve();
        await release.promise;
      },
    });
    harness = createHarness({ jobs: [job], options: { logs: { flushIntervalSeconds: 0.05 } } });
    const runId = await harness.client.enqueue(job);
    await harness.worker.runOnce();
    await logged.promise;
    for (let wait = 0; wait < 100 && (await harness.store.runLogList({ runId })).length === 0; wait += 1) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    expect((await harness.store.runLogList({ runId })).map((line) => line.message)).toEqual(['first']);
    release.resolve();
    await harness.worker.whenIdle();
  });

  it('rejects a progress that is not a number', async () => {
    const errors: unknown[] = [];
    const job = defineJob({
      name: 'bad-progress',
      run: (_payload, ctx) => {
        try {
          ctx.progress(Number.NaN);
        } catch (error) {
          errors.push(error);
        }
        ctx.progress(150);
      },
    });
    harness = createHarness({ jobs: [job] });
    const runId = await harness.client.enqueue(job);
    await harness.worker.drain();
    expect(errors).toHaveLength(1);
    expect((await harness.run(runId)).progressPercent).toBe(100);
  });
});
