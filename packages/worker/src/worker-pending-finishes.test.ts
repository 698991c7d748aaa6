import { defineJob, StoreUnavailableError, type DurablyStore, type LeaseExtendParams } from '@durably/core';
import { afterEach, describe, expect, it } from 'vitest';
import { createHarness, deferred, stopAndCheck, tick, type Harness } from './test-support/harness.js';

/** Lets handlers settle and the finish batcher start its write (it starts in the next loop turn). */
async function settle(): Promise<void> {
  for (let turn = 0; turn < 3; turn += 1) await tick();
}

async function enqueue(h: Harness, payloads: number[]): Promise<string[]> {
  return (await h.client.enqueueMany(noop, payloads)).map((result) => result.runId);
}

let harness: Harness | undefined;
afterEach(async () => {
  if (harness && harness.worker.state !== 'stopped') await stopAndCheck(harness.worker, 500);
  harness = undefined;
});

/**
 * Wraps a store so that `runFinishMany` waits for `gate` (finishes stay pending) or, while
 * `failuresLeft` > 0, fails as a database outage would; records every `leaseExtend` call.
 */
function controlledStore(store: DurablyStore) {
  const control = {
    gate: Promise.resolve() as Promise<void>,
    failuresLeft: 0,
    finishCalls: 0,
    written: 0,
    extended: [] as LeaseExtendParams['attempts'][],
  };
  const wrapped = Object.create(store) as DurablyStore;
  wrapped.runFinishMany = async (params) => {
    control.finishCalls += 1;
    await control.gate;
    if (control.failuresLeft > 0) {
      control.failuresLeft -= 1;
      throw new StoreUnavailableError('connection reset (injected)');
    }
    const results = await store.runFinishMany(params);
    control.written += params.finishes.length;
    return results;
  };
  wrapped.leaseExtend = (params) => {
    control.extended.push(params.attempts);
    return store.leaseExtend(params);
  };
  return { wrapped, control };
}

const noop = defineJob<number>({ name: 'noop', run: () => {} });

function setup(maxConcurrentRuns: number) {
  let control!: ReturnType<typeof controlledStore>['control'];
  harness = createHarness({
    jobs: [noop],
    options: { maxConcurrentRuns, batchSize: 50 },
    wrapStore: (store) => {
      const controlled = controlledStore(store);
      control = controlled.control;
      return controlled.wrapped;
    },
  });
  return { h: harness, control };
}

async function statuses(h: Harness, runIds: string[]): Promise<string[]> {
  return Promise.all(runIds.map(async (runId) => (await h.run(runId)).status));
}

describe('pending finishes', () => {
  it('reuses an execution slot while the previous ending is still being written, and heartbeats its lease', async () => {
    const { h, control } = setup(1);
    const gate = deferred();
    control.gate = gate.promise;
    const runIds = await enqueue(h, [1, 2]);
    expect((await h.worker.runOnce()).claimed).toBe(1);
    await settle();
    expect(control.finishCalls).toBe(1); // the first ending is being written, not yet done
    expect((await h.worker.runOnce()).claimed).toBe(1); // its slot took the second run already
    await settle();
    expect(h.worker.activeRuns).toBe(2);
    expect(await statuses(h, runIds)).toEqual(['leased', 'leased']);
    await h.worker.heartbeatOnce();
    expect(
      control.extended
        .at(-1)
        ?.map((attempt) => attempt.runId)
        .sort(),
    ).toEqual([...runIds].sort());
    gate.resolve();
    await h.worker.whenIdle();
    expect(await statuses(h, runIds)).toEqual(['succeeded', 'succeeded']);
    expect(control.written).toBe(2);
  });

  it('stops claiming once maxConcurrentRuns + max(400, 2 × maxConcurrentRuns) attempts are tracked', async () => {
    const { h, control } = setup(1);
    const gate = deferred();
    control.gate = gate.promise;
    const runIds = await enqueue(
      h,
      Array.from({ length: 450 }, (_, index) => index),
    );
    let claimed = 0;
    for (let round = 0; round < 450; round += 1) {
      claimed += (await h.worker.runOnce()).claimed;
      await settle();
    }
    expect(claimed).toBe(401);
    expect(h.worker.activeRuns).toBe(401);
    const result = await h.worker.runOnce();
    expect(result.claimed).toBe(0);
    gate.resolve();
    await h.worker.drain();
    expect((await statuses(h, runIds)).every((status) => status === 'succeeded')).toBe(true);
  });

  it('shutdown writes every pending ending before it returns', async () => {
    const { h, control } = setup(2);
    const gate = deferred();
    control.gate = gate.promise;
    const runIds = await enqueue(h, [1, 2, 3, 4]);
    await h.worker.runOnce();
    await settle();
    await h.worker.runOnce();
    await settle();
    expect(h.worker.activeRuns).toBe(4);
    const stopped = h.worker.stop({ graceMs: 1_000 });
    await settle();
    expect(await statuses(h, runIds)).toEqual(['leased', 'leased', 'leased', 'leased']);
    gate.resolve();
    await stopped;
    expect(h.worker.pendingTimers).toBe(0);
    expect(await statuses(h, runIds)).toEqual(['succeeded', 'succeeded', 'succeeded', 'succeeded']);
  });

  it('loses no ending when the store fails while endings are pending: retried until written', async () => {
    const { h, control } = setup(1);
    control.failuresLeft = 2;
    const runIds = await enqueue(h, [1, 2, 3]);
    for (let round = 0; round < 3; round += 1) {
      expect((await h.worker.runOnce()).claimed).toBe(1);
      await settle();
    }
    expect(h.worker.activeRuns).toBe(3);
    await h.worker.heartbeatOnce(); // leases of unwritten endings are still extended
    expect(control.extended.at(-1)).toHaveLength(3);
    await h.worker.whenIdle(); // the batcher retries with backoff (250 ms, 500 ms)
    expect(control.failuresLeft).toBe(0);
    expect(control.written).toBe(3);
    expect(await statuses(h, runIds)).toEqual(['succeeded', 'succeeded', 'succeeded']);
    expect(
      h.errorLogs().some((record) => record.message.startsWith('recording attempt endings failed')),
    ).toBe(true);
  });
});
