import { describeEnqueueConformance } from './enqueue-conformance.js';
import type { StoreConformanceHarness } from './store-conformance-harness.js';

/**
 * Registers the store conformance suite: vitest `describe` blocks titled
 * `store conformance: <name> › <area>`, one fresh store per test. Every provider runs the same
 * suite from a few-line test file; features a store lacks (by `capabilities`) are skipped visibly.
 *
 * @example
 * // sqlite-store.conformance.test.ts
 * runStoreConformance({
 *   name: 'sqlite',
 *   createStore: async ({ clock }) => {
 *     const store = createSqliteStore({ filename: ':memory:', clock });
 *     await store.migrate();
 *     return store;
 *   },
 * });
 */
export function runStoreConformance(harness: StoreConformanceHarness): void {
  describeEnqueueConformance(harness);
}
