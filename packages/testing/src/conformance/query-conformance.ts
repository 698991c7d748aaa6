import { InvalidArgumentError, runStatuses, type DurablyStore, type RunListParams } from '@durably/core';
import { describe, expect, it } from 'vitest';
import { at, insertAndClaim, insertRun, jobA, jobB, newRun, useConformanceStore } from './conformance-fixtures.js';
import type { StoreConformanceHarness } from './store-conformance-harness.js';

/** Reads every page of a listing. */
async function readAllPages(store: DurablyStore, params: Omit<RunListParams, 'cursor'>): Promise<string[][]> {
  const pages: string[][] = [];
  let cursor: string | undefined;
  for (let guard = 0; guard < 1_000; guard++) {
    const page = await store.runList({ ...params, cursor });
    pages.push(page.runs.map((run) => run.runId));
    if (page.nextCursor === null) return pages;
    cursor = page.nextCursor;
  }
  throw new Error('Pagination did not end.');
}

/** Registers the conformance tests of the queries area. */
export function describeQueryConformance(harness: StoreConformanceHarness): void {
  describe(`store conformance: ${harness.name} › queries`, () => {
    const current = useConformanceStore(harness);

    it('gets a run by id, undefined for an unknown id', async () => {
      const { store } = current();
      const runId = await insertRun(store);
      expect((await store.runGet({ runId }))?.runId).toBe(runId);
      expect(await store.runGet({ runId: '00000000-0000-4000-8000-000000000000' })).toBeUndefined();
    });

    it('lists newest first by createdAt', async () => {
      const { store, clock } = current();
      const ids: string[] = [];
      for (let index = 0; index < 4; index++) {
        ids.push(await insertRun(store));
        clock.advance(1_000);
      }
      const page = await store.runList({ limit: 10 });
      expect(page.runs.map((run) => run.runId)).toEqual([...ids].reverse());
      expect(page.nextCursor).toBeNull();
    });

    it('lists in due order (runAt ascending) when asked', async () => {
      const { store } = current();
      const late = await insertRun(store, { runAt: new Date(at(3_000)) });
      const early = await insertRun(store, { runAt: new Date(at(1_000)) });
      const middle = await insertRun(store, { runAt: new Date(at(2_000)) });
      const page = await store.runList({ limit: 10, order: 'due' });
      expect(page.runs.map((run) => run.runId)).toEqual([early, middle, late]);
    });

    it('filters by statuses, jobName, queue and creation time', async () => {
      const { store, clock } = current();
      const a1 = await insertRun(store, { queue: 'mail' });
      clock.advance(1_000);
      const b1 = await insertRun(store, { jobName: jobB });
      clock.advance(1_000);
      const leased = await insertAndClaim(store, { runAt: new Date(at(-5_000)) });
      const ids = async (params: Omit<RunListParams, 'limit'>) =>
        (await store.runList({ limit: 50, ...params })).runs.map((run) => run.runId).sort();
      expect(await ids({ statuses: ['leased'] })).toEqual([leased.run.runId]);
      expect(await ids({ statuses: ['pending', 'leased'] })).toEqual([a1, b1, leased.run.runId].sort());
      expect(await ids({ statuses: [] })).toEqual([]);
      expect(await ids({ jobName: jobB })).toEqual([b1]);
      expect(await ids({ queue: 'mail' })).toEqual([a1]);
      expect(await ids({ createdAfter: new Date(at(1_000)) })).toEqual([b1, leased.run.runId].sort());
      expect(await ids({ createdBefore: new Date(at(1_000)) })).toEqual([a1]);
      expect(await ids({ createdAfter: new Date(at(1_000)), createdBefore: new Date(at(2_000)) })).toEqual([b1]);
      expect(await ids({ jobName: jobA, statuses: ['pending'] })).toEqual([a1]);
    });

    it('paginates without duplicates or gaps, including runs created in the same millisecond', async () => {
      const { store, clock } = current();
      const all: string[] = [];
      for (let batch = 0; batch < 5; batch++) {
        const results = await store.runInsertMany({ runs: Array.from({ length: 7 }, () => newRun()) });
        all.push(...results.map((result) => result.runId));
        clock.advance(1_000);
      }
      for (const order of ['created', 'due'] as const) {
        const pages = await readAllPages(store, { limit: 4, order });
        expect(pages.slice(0, -1).every((page) => page.length === 4)).toBe(true);
        const seen = pages.flat();
        expect(seen).toHaveLength(all.length);
        expect(new Set(seen)).toEqual(new Set(all));
      }
    });

    it('keeps pages stable while new runs are inserted between them', async () => {
      const { store, clock } = current();
      const existing: string[] = [];
      for (let index = 0; index < 6; index++) {
        existing.push(await insertRun(store));
        clock.advance(1_000);
      }
      const first = await store.runList({ limit: 3 });
      await insertRun(store);
      const second = await store.runList({ limit: 3, cursor: first.nextCursor! });
      const seen = [...first.runs, ...second.runs].map((run) => run.runId);
      expect(seen).toEqual([...existing].reverse());
    });

    it('ends with nextCursor null, also when the last page is exactly full', async () => {
      const { store } = current();
      await store.runInsertMany({ runs: Array.from({ length: 4 }, () => newRun()) });
      const first = await store.runList({ limit: 2 });
      expect(first.nextCursor).not.toBeNull();
      const second = await store.runList({ limit: 2, cursor: first.nextCursor! });
      expect(second.runs).toHaveLength(2);
      expect(second.nextCursor).toBeNull();
      expect((await store.runList({ limit: 4 })).nextCursor).toBeNull();
    });

    it('pages through filtered listings', async () => {
      const { store } = current();
      await store.runInsertMany({ runs: Array.from({ length: 5 }, () => newRun({ jobName: jobB })) });
      const mine = await store.runInsertMany({ runs: Array.from({ length: 5 }, () => newRun()) });
      const pages = await readAllPages(store, { limit: 2, jobName: jobA });
      expect(new Set(pages.flat())).toEqual(new Set(mine.map((result) => result.runId)));
      expect(pages.flat()).toHaveLength(5);
    });

    it('rejects a cursor that did not come from the store', async () => {
      const { store } = current();
      await expect(store.runList({ limit: 5, cursor: 'not-a-cursor' })).rejects.toBeInstanceOf(InvalidArgumentError);
    });

    it('counts runs per status, with every status present', async () => {
      const { store } = current();
      await insertRun(store, { queue: 'mail' });
      await insertRun(store, { jobName: jobB });
      await insertAndClaim(store, { runAt: new Date(at(-1)) });
      const all = await store.runCountByStatus({});
      expect(Object.keys(all).sort()).toEqual([...runStatuses].sort());
      expect(all).toEqual({ pending: 2, leased: 1, waiting_retry: 0, succeeded: 0, failed: 0, cancelled: 0, skipped: 0 });
      expect((await store.runCountByStatus({ jobName: jobA })).pending).toBe(1);
      expect((await store.runCountByStatus({ queue: 'mail' })).pending).toBe(1);
      expect((await store.runCountByStatus({ jobName: jobB, queue: 'mail' })).pending).toBe(0);
    });

    it('lists no attempts for a run that never ended one, or an unknown run', async () => {
      const { store } = current();
      const runId = await insertRun(store);
      expect(await store.attemptList({ runId })).toEqual([]);
      expect(await store.attemptList({ runId: '00000000-0000-4000-8000-000000000000' })).toEqual([]);
    });
  });
}
