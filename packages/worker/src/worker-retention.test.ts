import { defineJob } from '@durably/core';
import { afterEach, describe, expect, it } from 'vitest';
import { createHarness, stopAndCheck, type Harness } from './test-support/harness.js';

let harness: Harness | undefined;
afterEach(async () => {
  if (harness) await stopAndCheck(harness.worker);
  harness = undefined;
});

describe('retention sweeps', () => {
  it('deletes terminal runs older than the window in batches of deleteBatchSize, keeping active ones', async () => {
    const ok = defineJob<number>({ name: 'ok', run: () => {} });
    const later = defineJob({ name: 'later', run: () => {} });
    harness = createHarness({ jobs: [ok, later], options: { retention: { runRetentionSeconds: 600, deleteBatchSize: 3 } } });
    let calls = 0;
    const deleteFinished = harness.store.runDeleteFinished.bind(harness.store);
    harness.store.runDeleteFinished = (params) => {
      calls += 1;
      expect(params).toEqual({ olderThanMs: 600_000, limit: 3 });
      return deleteFinished(params);
    };
    await harness.client.enqueueMany(ok, [1, 2, 3, 4, 5, 6, 7]);
    await harness.worker.drain();
    const pendingId = await harness.client.schedule(later, undefined, { delay: '1d' });

    harness.clock.advance(600_000); // exactly the window: not older than it yet
    expect(await harness.worker.sweepOnce()).toBe(0);
    harness.clock.advance(1);
    calls = 0;
    expect(await harness.worker.sweepOnce()).toBe(7);
    expect(calls).toBe(3); // 3 + 3 + 1
    expect((await harness.store.runCountByStatus({})).succeeded).toBe(0);
    expect((await harness.run(pendingId)).status).toBe('pending');
  });

  it('uses the store default window when runRetentionSeconds is unset (memory: 3 600 s)', async () => {
    const ok = defineJob({ name: 'ok', run: () => {} });
    harness = createHarness({ jobs: [ok] });
    await harness.client.enqueue(ok);
    await harness.worker.drain();
    harness.clock.advance(3_600_000);
    expect(await harness.worker.sweepOnce()).toBe(0);
    harness.clock.advance(1);
    expect(await harness.worker.sweepOnce()).toBe(1);
  });

  it('does nothing when retention is disabled', async () => {
    const ok = defineJob({ name: 'ok', run: () => {} });
    harness = createHarness({ jobs: [ok], options: { retention: { enabled: false } } });
    await harness.client.enqueue(ok);
    await harness.worker.drain();
    harness.clock.advance(365 * 86_400_000);
    expect(await harness.worker.sweepOnce()).toBe(0);
    expect((await harness.store.runCountByStatus({})).succeeded).toBe(1);
  });
});
