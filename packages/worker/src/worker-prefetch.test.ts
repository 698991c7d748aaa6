import { defineJob } from '@durably/core';
import { afterEach, describe, expect, it } from 'vitest';
import { createHarness, deferred, stopAndCheck, tick, type Harness } from './test-support/harness.js';

let harness: Harness | undefined;
afterEach(async () => {
  if (harness && harness.worker.state !== 'stopped') await stopAndCheck(harness.worker, 100);
  harness = undefined;
});

/** A job whose handlers wait until the test releases them (or their signal aborts), counting how many run at once. */
function gatedJob() {
  const gates: { payload: number; release: () => void }[] = [];
  let running = 0;
  let mostAtOnce = 0;
  const job = defineJob<number>({
    name: 'gated',
    run: async (payload, ctx) => {
      running += 1;
      mostAtOnce = Math.max(mostAtOnce, running);
      const gate = deferred();
      ctx.signal.addEventListener('abort', () => gate.resolve()); // lets afterEach stop quickly
      gates.push({ payload, release: gate.resolve });
      await gate.promise;
      running -= 1;
    },
  });
  return {
    job,
    gates,
    get mostAtOnce() {
      return mostAtOnce;
    },
  };
}

/** Run ids in the order the worker claimed them (runs enqueued together are claimed in id order). */
function claimOrder(h: Harness): string[] {
  return h.events.filter((event) => event.type === 'job_claimed').map((event) => event.runId);
}

describe('prefetchRuns', () => {
  it('claims up to maxConcurrentRuns + prefetchRuns in one claim, but runs at most maxConcurrentRuns at once', async () => {
    const gated = gatedJob();
    harness = createHarness({
      jobs: [gated.job],
      options: { maxConcurrentRuns: 2, prefetchRuns: 3, batchSize: 50 },
    });
    const ids = (await harness.client.enqueueMany(gated.job, [1, 2, 3, 4, 5, 6, 7])).map(
      (result) => result.runId,
    );

    expect((await harness.worker.runOnce()).claimed).toBe(5);
    await tick();
    const claimed = claimOrder(harness);
    expect(gated.gates).toHaveLength(2);
    const leased = await Promise.all(ids.map(async (id) => (await harness!.run(id)).status));
    expect(leased.filter((status) => status === 'leased')).toHaveLength(5);

    // Each settled handler hands its slot to the longest-waiting prefetched run, in claim order.
    while (gated.gates.length > 0) {
      gated.gates.shift()!.release();
      await tick();
      await harness.worker.runOnce();
      await tick();
    }
    await harness.worker.flush();
    const statuses = await Promise.all(ids.map(async (id) => (await harness!.run(id)).status));
    expect(statuses).toEqual(Array<string>(7).fill('succeeded'));
    expect(gated.mostAtOnce).toBe(2);
    const started = harness.events
      .filter((event) => event.type === 'job_started')
      .map((event) => event.runId);
    expect(started.slice(0, 5)).toEqual(claimed);
  });

  it('refills the prefetch buffer only once it is half empty', async () => {
    const gated = gatedJob();
    harness = createHarness({
      jobs: [gated.job],
      options: { maxConcurrentRuns: 1, prefetchRuns: 4, batchSize: 50 },
    });
    await harness.client.enqueueMany(gated.job, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect((await harness.worker.runOnce()).claimed).toBe(5); // 1 running, 4 waiting
    await tick();
    gated.gates.shift()!.release(); // 1 running, 3 waiting: more than half of 4
    await tick();
    expect((await harness.worker.runOnce()).claimed).toBe(0);
    gated.gates.shift()!.release(); // 1 running, 2 waiting: half
    await tick();
    expect((await harness.worker.runOnce()).claimed).toBe(2);
  });

  it('extends the leases of prefetched runs with the running ones', async () => {
    const gated = gatedJob();
    harness = createHarness({
      jobs: [gated.job],
      options: { maxConcurrentRuns: 1, prefetchRuns: 2, leaseDurationSeconds: 30 },
    });
    const ids = (await harness.client.enqueueMany(gated.job, [1, 2, 3])).map((result) => result.runId);
    await harness.worker.runOnce();
    harness.clock.advance(20_000);
    await harness.worker.heartbeatOnce();
    for (const id of ids) {
      expect((await harness.run(id)).leaseExpiresAt?.getTime()).toBe(harness.clock.now().getTime() + 30_000);
    }
    for (const gate of gated.gates) gate.release();
  });

  it('a cancel request reaching a prefetched run ends it cancelled without running its handler', async () => {
    const gated = gatedJob();
    harness = createHarness({ jobs: [gated.job], options: { maxConcurrentRuns: 1, prefetchRuns: 2 } });
    await harness.client.enqueueMany(gated.job, [1, 2]);
    await harness.worker.runOnce();
    await tick();
    const [first, second] = claimOrder(harness);
    expect((await harness.client.cancel(second!)).outcome).toBe('cancel_requested');
    await harness.worker.heartbeatOnce();
    await harness.worker.flush();
    expect((await harness.run(second!)).status).toBe('cancelled');
    expect(harness.eventTypes(second!)).toEqual(['job_claimed', 'job_cancelled']);
    gated.gates.shift()!.release();
    await tick();
    await harness.worker.flush();
    expect((await harness.run(first!)).status).toBe('succeeded');
    expect(gated.gates).toHaveLength(0); // the cancelled run never started
  });

  it('shutdown hands prefetched runs back at once, due now and without spending an attempt', async () => {
    const gated = gatedJob();
    harness = createHarness({
      jobs: [gated.job],
      options: { maxConcurrentRuns: 1, prefetchRuns: 2 },
    });
    await harness.client.enqueueMany(gated.job, [1, 2, 3]);
    await harness.worker.runOnce();
    await tick();
    const [first, ...waiting] = claimOrder(harness);
    const stopping = harness.worker.stop({ graceMs: 5_000 });
    await tick();
    gated.gates.shift()!.release(); // the running one finishes within the grace period
    await stopping;
    expect((await harness.run(first!)).status).toBe('succeeded');
    for (const id of waiting) {
      const run = await harness.run(id);
      expect(run).toMatchObject({ status: 'pending', leaseOwner: null, attempt: 1, maxAttempts: 4 });
      expect(run.runAt.getTime()).toBe(harness.clock.now().getTime());
      expect((await harness.store.attemptList({ runId: id })).map((attempt) => attempt.outcome)).toEqual([
        'interrupted',
      ]);
    }
    expect(gated.gates).toHaveLength(0); // no prefetched handler started during the grace period
    expect(harness.worker.pendingTimers).toBe(0);
  });
});
