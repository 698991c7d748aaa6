import { describeBadInputConformance } from './bad-input-conformance.js';
import { describeCancelConformance } from './cancel-conformance.js';
import { describeClaimConformance } from './claim-conformance.js';
import { describeConcurrencyConformance } from './concurrency-conformance.js';
import { describeEnqueueConformance } from './enqueue-conformance.js';
import { describeFinishConformance } from './finish-conformance.js';
import { describeLeaseConformance } from './lease-conformance.js';
import { describeNotificationsConformance } from './notifications-conformance.js';
import { describeOutputConformance } from './output-conformance.js';
import { describeQueryConformance } from './query-conformance.js';
import { describeRecurringConformance } from './recurring-conformance.js';
import { describeRetentionConformance } from './retention-conformance.js';
import type { StoreConformanceHarness } from './store-conformance-harness.js';
import { describeWorkersConformance } from './workers-conformance.js';

/**
 * Registers the store conformance suite: vitest `describe` blocks titled
 * `store conformance: <name> › <area>`, one fresh store per test, time moved only through the
 * `FakeClock` given to `createStore`. Every provider runs the same suite from a few-line test file;
 * features a store lacks (by `capabilities`) are skipped visibly, with the reason.
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
  describeClaimConformance(harness);
  describeConcurrencyConformance(harness);
  describeFinishConformance(harness);
  describeLeaseConformance(harness);
  describeCancelConformance(harness);
  describeRecurringConformance(harness);
  describeRetentionConformance(harness);
  describeQueryConformance(harness);
  describeOutputConformance(harness);
  describeWorkersConformance(harness);
  describeNotificationsConformance(harness);
  describeBadInputConformance(harness);
}
