import { createMemoryStore, type DurablyStore } from '@durably/core';
import { describe, expect, it } from 'vitest';
import { runExactlyOnceChild, type ExactlyOnceChildResult } from './run-exactly-once-child.js';

/** A view of `store` whose `close` does nothing, so several "processes" can share one memory store. */
function unclosable(store: DurablyStore): DurablyStore {
  return new Proxy(store, {
    get: (target, property) => (property === 'close' ? async () => {} : Reflect.get(target, property)),
  });
}

describe('runExactlyOnceChild', () => {
  it('three concurrent claimers on one store finish every run once and report it as one JSON line', async () => {
    const shared = createMemoryStore();
    const lines: string[] = [];
    const results = await Promise.all(
      [1, 2, 3].map((index) =>
        runExactlyOnceChild({
          store: unclosable(shared),
          runs: 250,
          workerName: `proc-${index}`,
          insertBatchSize: 100,
          claimBatchSize: 7,
          write: (line) => lines.push(line),
        }),
      ),
    );
    expect(results.reduce((sum, result) => sum + result.applied, 0)).toBe(750);
    expect(lines.map((line) => JSON.parse(line) as ExactlyOnceChildResult)).toEqual(results);
    const counts = await shared.runCountByStatus({});
    expect(counts.succeeded).toBe(750);
    expect(Object.values(counts).reduce((sum, n) => sum + n, 0)).toBe(750);
  });

  it('closes the store it was given', async () => {
    const store = createMemoryStore();
    await runExactlyOnceChild({ store, runs: 3, workerName: 'solo', write: () => {} });
    await expect(store.runGet({ runId: 'x' })).rejects.toThrow();
  });
});
