import { isDeepStrictEqual } from 'node:util';
import type { DurablyStore, Run, RunListParams } from '@durably/core';
import { valueAtPath } from './json-path.js';
import type { PayloadSearch } from './parse-run-filters.js';

/** Most runs one search request reads before it returns what it found with a cursor. */
export const searchScanBudget = 5_000;

export interface RunSearchPage {
  runs: Run[];
  nextCursor: string | null;
  /** How many runs were read to find these. */
  scanned: number;
}

/**
 * Searches payloads by paging through `runList` (with the other filters applied by the store) and
 * matching in JavaScript: the store contract has no payload query, so this works on every provider
 * at the cost of reading runs. One request reads at most `searchScanBudget` runs; when it stops
 * early, `nextCursor` continues the scan. Each store page asks for no more runs than matches are
 * still wanted, so a page can never hold more matches than fit and the cursor stays exact.
 */
export async function searchRuns(
  store: DurablyStore,
  list: RunListParams,
  search: PayloadSearch,
  budget = searchScanBudget,
): Promise<RunSearchPage> {
  const runs: Run[] = [];
  let cursor = list.cursor;
  let scanned = 0;
  for (;;) {
    const wanted = list.limit - runs.length;
    const page = await store.runList({ ...list, limit: wanted, ...(cursor === undefined ? {} : { cursor }) });
    scanned += page.runs.length;
    runs.push(...page.runs.filter((run) => matches(run.payload, search)));
    if (page.nextCursor === null) return { runs, nextCursor: null, scanned };
    cursor = page.nextCursor;
    if (runs.length >= list.limit || scanned >= budget) return { runs, nextCursor: cursor, scanned };
  }
}

/** Equal as JSON (`42`, `true`, `{"a":1}`), or equal as text when the value is a string. */
function matches(payload: unknown, search: PayloadSearch): boolean {
  const actual = valueAtPath(payload, search.path);
  if (actual === undefined) return false;
  if (typeof actual === 'string' && actual === search.value) return true;
  try {
    return isDeepStrictEqual(actual, JSON.parse(search.value));
  } catch {
    return false;
  }
}
