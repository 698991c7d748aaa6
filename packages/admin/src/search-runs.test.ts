import { createFakeClock, createMemoryStore, type NewRun } from '@durably/core';
import { describe, expect, it } from 'vitest';
import { searchRuns } from './search-runs.js';

const run = (n: number): NewRun => ({
  jobName: 'job', payloadJson: JSON.stringify({ n, even: n % 2 === 0, tag: n % 10 === 0 ? 'ten' : 'other' }), queue: 'default',
  priority: 0, maxAttempts: 1, runAt: null, key: null, keyConflict: 'keep-existing', origin: 'enqueue', metadata: {},
});

async function storeWith(count: number) {
  const clock = createFakeClock();
  const store = createMemoryStore({ clock });
  for (let n = 0; n < count; n += 1) {
    await store.runInsertMany({ runs: [run(n)] });
    clock.advance(1_000);
  }
  return store;
}

describe('searchRuns', () => {
  it('pages through matches with an exact cursor: every match once, in order', async () => {
    const store = await storeWith(95);
    const seen: number[] = [];
    let cursor: string | undefined;
    for (let page = 0; page < 20; page += 1) {
      const result = await searchRuns(store, { limit: 4, ...(cursor ? { cursor } : {}) }, { path: ['tag'], value: 'ten' });
      seen.push(...result.runs.map((r) => (r.payload as { n: number }).n));
      if (result.nextCursor === null) break;
      cursor = result.nextCursor;
    }
    expect(seen).toEqual([90, 80, 70, 60, 50, 40, 30, 20, 10, 0]);
  });

  it('matches JSON values (booleans, numbers) and strings as text', async () => {
    const store = await storeWith(6);
    expect((await searchRuns(store, { limit: 10 }, { path: ['even'], value: 'true' })).runs).toHaveLength(3);
    expect((await searchRuns(store, { limit: 10 }, { path: ['n'], value: '4' })).runs).toHaveLength(1);
    expect((await searchRuns(store, { limit: 10 }, { path: ['n'], value: '"4"' })).runs).toHaveLength(0);
    expect((await searchRuns(store, { limit: 10 }, { path: ['tag'], value: '"ten"' })).runs).toHaveLength(1);
  });

  it('stops after the scan budget and returns a cursor that continues the scan', async () => {
    const store = await storeWith(30);
    const first = await searchRuns(store, { limit: 5 }, { path: ['n'], value: '0' }, 10);
    expect(first.runs).toEqual([]);
    expect(first.scanned).toBe(10);
    expect(first.nextCursor).not.toBeNull();
    let cursor = first.nextCursor!;
    let found: unknown[] = [];
    for (let i = 0; i < 5 && found.length === 0; i += 1) {
      const next = await searchRuns(store, { limit: 5, cursor }, { path: ['n'], value: '0' }, 10);
      found = next.runs;
      if (next.nextCursor === null) break;
      cursor = next.nextCursor;
    }
    expect(found).toHaveLength(1);
  });
});
