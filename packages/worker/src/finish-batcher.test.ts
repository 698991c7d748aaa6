import { createFakeClock, createMemoryStore, type DurablyStore, type RunFinish } from '@durably/core';
import { describe, expect, it } from 'vitest';
import { createFinishBatcher } from './finish-batcher.js';
import { createRunJournal } from './run-journal.js';
import { deferred, tick } from './test-support/harness.js';
import { silentLogger } from './worker-logger.js';
import { createTrackedTimers } from './tracked-timers.js';

/** A store whose `runFinishMany` records each call's size and waits until the test releases it. */
function gatedStore() {
  const calls: { size: number; release: () => void }[] = [];
  const base = createMemoryStore({ clock: createFakeClock() });
  const store = Object.create(base) as DurablyStore;
  store.runFinishMany = async (params) => {
    const gate = deferred();
    calls.push({ size: params.finishes.length, release: gate.resolve });
    await gate.promise;
    return params.finishes.map((finish) => ({
      runId: finish.runId,
      applied: true,
      status: 'succeeded' as const,
    }));
  };
  return { store, calls };
}

function setup(maxBatch: number) {
  const { store, calls } = gatedStore();
  const timers = createTrackedTimers();
  const journal = createRunJournal({
    store,
    clock: createFakeClock(),
    logger: silentLogger,
    timers,
    flushIntervalMs: 2_000,
    flushBatchSize: 50,
    maxLinesPerRun: 1_000,
  });
  const batcher = createFinishBatcher({ store, journal, logger: silentLogger, timers, maxBatch });
  const submit = (count: number) =>
    Array.from({ length: count }, (_, index) => {
      const finish: RunFinish = {
        runId: `r${calls.length}-${index}-${Math.random()}`,
        workerName: 'w',
        attempt: 1,
        outcome: { type: 'succeeded' },
      };
      return batcher.submit(finish, () => false);
    });
  return { batcher, calls, submit, timers };
}

async function turns(count = 3): Promise<void> {
  for (let turn = 0; turn < count; turn += 1) await tick();
}

describe('the finish batcher', () => {
  it('writes a burst in the next turn, and gathers what ends meanwhile into the following write', async () => {
    const { batcher, calls, submit, timers } = setup(10);
    const first = submit(3);
    await turns();
    expect(calls.map((call) => call.size)).toEqual([3]);
    const second = submit(2); // less than half a batch: waits for the write in flight
    await turns();
    expect(calls).toHaveLength(1);
    calls[0]!.release();
    await Promise.all(first);
    await turns();
    expect(calls.map((call) => call.size)).toEqual([3, 2]);
    calls[1]!.release();
    await Promise.all(second);
    await batcher.flush();
    expect(timers.size).toBe(0);
  });

  it('overlaps a second write for half a batch or more, never a third', async () => {
    const { batcher, calls, submit } = setup(10);
    const all = [...submit(1)];
    await turns();
    all.push(...submit(5)); // half a batch waiting: a second write starts while the first is in flight
    await turns();
    expect(calls.map((call) => call.size)).toEqual([1, 5]);
    all.push(...submit(10)); // two writes in flight: the third waits
    await turns();
    expect(calls).toHaveLength(2);
    calls[0]!.release();
    await turns();
    expect(calls.map((call) => call.size)).toEqual([1, 5, 10]);
    for (const call of calls.slice(1)) call.release();
    await Promise.all(all);
    expect(batcher.pending).toBe(0);
  });
});
