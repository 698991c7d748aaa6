import {
  InvalidArgumentError,
  type DurablyStore,
  type PayloadMatch,
  type RunListParams,
} from '@durably/core';
import { describe, expect, it } from 'vitest';
import { at, insertAndClaim, insertRun, jobA, jobB, useConformanceStore } from './conformance-fixtures.js';
import type { StoreConformanceHarness } from './store-conformance-harness.js';

/** A key that would end a quoted SQL string or JSON path key if either were spliced in. */
const injectionKey = `x") or ('1'='1' --`;

/** Payloads by name; each test searches them and expects names back. */
const payloads: Record<string, unknown> = {
  first: {
    user: { id: 'u1', age: 30 },
    tags: ['x', 'y'],
    items: [{ sku: 'A-1' }, { sku: 'B-2' }],
    flag: true,
    n: 1,
    s: '1',
    nothing: null,
    'a.b': { 'c"d': 'dots' },
    'é ключ 🔑': 'unicode ✓',
    'back\\slash': 'b',
    [injectionKey]: 'quoted " value \\ é',
    '*': 'star',
    'line\nbreak\ttab': [{ 'e\u0301': 'combining' }],
  },
  second: { user: { id: 'u2', age: 31 }, tags: ['y'], flag: false, n: '1', s: 1, name: 'Abc' },
  third: {
    user: { id: 'U1' },
    flag: 1,
    n: 1.5,
    nothing: 'null',
    object: { '0': 'zero' },
    list: ['zero'],
    big: 1e21,
  },
  fourth: ['top', { flag: 'true' }],
};

/** Registers the conformance tests of `runList`'s `payloadMatch` filter. */
export function describePayloadSearchConformance(harness: StoreConformanceHarness): void {
  describe(`store conformance: ${harness.name} › payload search`, () => {
    const current = useConformanceStore(harness);

    /** Inserts the payloads (one second apart) and returns a search returning names, newest first. */
    async function seed(store: DurablyStore) {
      const names = new Map<string, string>();
      for (const [name, payload] of Object.entries(payloads)) {
        names.set(await insertRun(store, { payloadJson: JSON.stringify(payload) }), name);
        current().clock.advance(1_000);
      }
      return async (path: PayloadMatch['path'], value: PayloadMatch['value']) => {
        const page = await store.runList({ limit: 50, payloadMatch: { path, value } });
        return page.runs.map((run) => names.get(run.runId));
      };
    }

    it('matches nested keys, exactly and case-sensitively', async () => {
      const search = await seed(current().store);
      expect(await search(['user', 'id'], 'u1')).toEqual(['first']);
      expect(await search(['user', 'id'], 'U1')).toEqual(['third']);
      expect(await search(['user', 'age'], 31)).toEqual(['second']);
      expect(await search(['name'], 'abc')).toEqual([]);
      expect(await search(['name'], 'Abc')).toEqual(['second']);
    });

    it('reads array elements by index, and never mixes indexes with object keys', async () => {
      const search = await seed(current().store);
      expect(await search(['tags', 0], 'x')).toEqual(['first']);
      expect(await search(['tags', 0], 'y')).toEqual(['second']);
      expect(await search(['tags', 1], 'y')).toEqual(['first']);
      expect(await search(['tags', 2], 'y')).toEqual([]);
      expect(await search(['items', 1, 'sku'], 'B-2')).toEqual(['first']);
      expect(await search([0], 'top')).toEqual(['fourth']);
      expect(await search([1, 'flag'], 'true')).toEqual(['fourth']);
      expect(await search(['list', 0], 'zero')).toEqual(['third']);
      expect(await search(['object', '0'], 'zero')).toEqual(['third']);
      expect(await search(['object', 0], 'zero')).toEqual([]);
      expect(await search(['list', '0'], 'zero')).toEqual([]);
    });

    it('keeps JSON types apart: "1" is not 1, true is not 1 or "true", null is not missing', async () => {
      const search = await seed(current().store);
      expect(await search(['n'], 1)).toEqual(['first']);
      expect(await search(['n'], '1')).toEqual(['second']);
      expect(await search(['s'], 1)).toEqual(['second']);
      expect(await search(['s'], '1')).toEqual(['first']);
      expect(await search(['n'], 1.5)).toEqual(['third']);
      expect(await search(['big'], 1e21)).toEqual(['third']);
      expect(await search(['flag'], true)).toEqual(['first']);
      expect(await search(['flag'], false)).toEqual(['second']);
      expect(await search(['flag'], 1)).toEqual(['third']);
      expect(await search(['flag'], 'true')).toEqual([]);
      expect(await search(['nothing'], null)).toEqual(['first']);
      expect(await search(['nothing'], 'null')).toEqual(['third']);
      expect(await search(['missing'], null)).toEqual([]);
      expect(await search(['user'], 'u1')).toEqual([]);
    });

    it('treats keys with dots, quotes, backslashes, unicode and path syntax as plain keys', async () => {
      const search = await seed(current().store);
      expect(await search(['a.b', 'c"d'], 'dots')).toEqual(['first']);
      expect(await search(['a', 'b'], 'dots')).toEqual([]);
      expect(await search(['é ключ 🔑'], 'unicode ✓')).toEqual(['first']);
      expect(await search(['back\\slash'], 'b')).toEqual(['first']);
      expect(await search([injectionKey], 'quoted " value \\ é')).toEqual(['first']);
      expect(await search(['*'], 'star')).toEqual(['first']);
      expect(await search(['line\nbreak\ttab', 0, 'e\u0301'], 'combining')).toEqual(['first']);
      expect(await search(['line\nbreak\ttab', 0, '\u00e9'], 'combining')).toEqual([]);
      expect(await search(['**'], 'star')).toEqual([]);
      expect(await search(['user', `id") or ("1"="1`], 'u1')).toEqual([]);
    });

    it('returns an empty last page when nothing matches', async () => {
      const { store } = current();
      await seed(store);
      expect(
        await store.runList({ limit: 5, payloadMatch: { path: ['user', 'id'], value: 'nobody' } }),
      ).toEqual({
        runs: [],
        nextCursor: null,
      });
    });

    it('combines with the status and job filters and pages with the cursor in both orders', async () => {
      const { store, clock } = current();
      const expected: string[] = [];
      for (let index = 0; index < 5; index++) {
        expected.push(await insertRun(store, { payloadJson: JSON.stringify({ tenant: 't1', index }) }));
        await insertRun(store, { payloadJson: JSON.stringify({ tenant: 't2', index }) });
        clock.advance(1_000);
      }
      // Due later, so the claim below takes the other run of job B.
      const later = new Date(at(3_600_000));
      const otherJob = await insertRun(store, {
        jobName: jobB,
        payloadJson: '{"tenant":"t1"}',
        runAt: later,
      });
      const leased = await insertAndClaim(store, { jobName: jobB, payloadJson: '{"tenant":"t1"}' });
      const t1: PayloadMatch = { path: ['tenant'], value: 't1' };
      const all = async (params: Omit<RunListParams, 'limit' | 'cursor'>) =>
        readAll(store, { ...params, limit: 2 });
      expect(await all({ payloadMatch: t1, jobName: jobA })).toEqual([...expected].reverse());
      expect(await all({ payloadMatch: t1, jobName: jobA, order: 'due' })).toEqual(expected);
      expect(await all({ payloadMatch: t1, statuses: ['leased'] })).toEqual([leased.run.runId]);
      expect(await all({ payloadMatch: t1, jobName: jobB, statuses: ['pending'] })).toEqual([otherJob]);
      expect(await all({ payloadMatch: { path: ['tenant'], value: 't3' }, jobName: jobA })).toEqual([]);
    });

    it('rejects invalid paths and values with InvalidArgumentError naming payloadMatch', async () => {
      const { store } = current();
      const tooLong = Array.from({ length: 17 }, () => 'a');
      const invalid: unknown[] = [
        { path: [], value: 'x' },
        { path: tooLong, value: 'x' },
        { path: [''], value: 'x' },
        { path: ['k'.repeat(129)], value: 'x' },
        { path: ['a', -1], value: 'x' },
        { path: ['a', 1.5], value: 'x' },
        { path: ['a', Number.NaN], value: 'x' },
        { path: ['a', true], value: 'x' },
        { path: 'a.b', value: 'x' },
        { path: ['a'], value: { b: 1 } },
        { path: ['a'], value: [1] },
        { path: ['a'], value: undefined },
        { path: ['a'], value: Number.POSITIVE_INFINITY },
        { path: ['a'], value: Number.NaN },
        null,
      ];
      for (const payloadMatch of invalid) {
        const listing = store.runList({ limit: 5, payloadMatch: payloadMatch as PayloadMatch });
        await expect(listing, JSON.stringify(payloadMatch)).rejects.toBeInstanceOf(InvalidArgumentError);
        await expect(listing).rejects.toMatchObject({ argument: expect.stringMatching(/^payloadMatch/) });
      }
      const longest = { path: [...tooLong.slice(2), 'k'.repeat(128)], value: 'x' };
      await expect(store.runList({ limit: 5, payloadMatch: longest })).resolves.toEqual({
        runs: [],
        nextCursor: null,
      });
    });
  });
}

/** Every page of a listing, flattened to run ids. */
async function readAll(store: DurablyStore, params: Omit<RunListParams, 'cursor'>): Promise<string[]> {
  const ids: string[] = [];
  let cursor: string | undefined;
  for (let guard = 0; guard < 100; guard++) {
    const page = await store.runList({ ...params, ...(cursor === undefined ? {} : { cursor }) });
    ids.push(...page.runs.map((run) => run.runId));
    if (page.nextCursor === null) return ids;
    cursor = page.nextCursor;
  }
  throw new Error('Pagination did not end.');
}
