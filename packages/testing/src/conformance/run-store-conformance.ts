import { describeBadInputConformance } from './bad-input-conformance.js';
import { describeCancelConformance } from './cancel-conformance.js';
import { describeClaimConformance } from './claim-conformance.js';
import { describeConcurrencyConformance } from './concurrency-conformance.js';
import { describeEnqueueConformance } from './enqueue-conformance.js';
import { describeFinishConformance } from './finish-conformance.js';
import { describeLeaseConformance } from './lease-conformance.js';
import { describeNotificationsConformance } from './notifications-conformance.js';
import { describeOutputConformance } from './output-conformance.js';
import { describePayloadSearchConformance } from './payload-search-conformance.js';
import { describeQueryConformance } from './query-conformance.js';
import { describeRecurringConformance } from './recurring-conformance.js';
import { describeRetentionConformance } from './retention-conformance.js';
import type { StoreConformanceHarness } from './store-conformance-harness.js';
import { describeTransactionConformance } from './transaction-conformance.js';
import { describeWorkersConformance } from './workers-conformance.js';

/**
 * Registers the store conformance suite: vitest `describe` blocks titled
 * `store conformance: <name> › <area>`, one fresh store per test, time moved only through the
 * `FakeClock` given to `createStore`. Every provider runs the same suite from a few-line test file;
 * features a store lacks (by `capabilities`) are skipped visibly, with the reason.
 *
 * Where `store.ts` leaves a detail open, the suite pins one behaviour for every provider:
 * - Limits (`limit`, `maxLinesPerRun`) are integers >= 1; durations are finite and >= 0 (lease
 *   durations > 0); percent is 0–100; otherwise `InvalidArgumentError`, before anything changes.
 * - An empty list filter (`jobNames`, `queues`, `statuses`) matches nothing.
 * - Unknown or malformed run ids (not UUIDs, empty) answer `undefined` / `not_found` / `false` /
 *   `[]` / `applied: false` / `lost`, never a driver error.
 * - `runInsertMany` is all-or-nothing: one rejected run (key conflict, bad input) inserts none.
 *   Keys apply within the batch. `replace` updates `pending` and `waiting_retry` runs in place
 *   (status and attempt kept; `scheduledFor` follows the new `runAt`).
 * - A claim orders by priority desc, `runAt` asc (ties: older `createdAt`, then `runId`), returns the
 *   batch in that order, and clears the previous attempt's progress.
 * - A run whose lease expired is not claimable until `leaseReapExpired` handles it; until then its
 *   owner can still extend or finish it. A lease is expired when `leaseExpiresAt <= now`; reaping
 *   goes oldest expiry first, records `lease_expired` and sets `lastError.name = 'LeaseExpiredError'`.
 * - A cancellation request wins over `retry`/`snoozed`/`interrupted`: the run ends `cancelled`, the
 *   attempt is recorded `cancelled`. `succeeded`/`failed` are kept as reported.
 * - `finishedAt` is set exactly for terminal statuses. A successful attempt keeps the `lastError` of
 *   an earlier one. A run cancelled at once has `finishedAt = now` and no `cancelRequestedAt`
 *   (that records a request to an active attempt); a repeated request keeps the first time.
 * - `runRetry`: `maxAttempts = max(maxAttempts, attempt + 1)`; keeps `origin`, `scheduledFor`,
 *   `slotAt`, `lastError`; clears `finishedAt` and the cancellation request; throws
 *   `RunKeyConflictError` when another active run now holds the run's key.
 * - `runDeleteFinished` deletes `finishedAt < now - olderThanMs` (strict), oldest first.
 * - `runList`: `createdAfter` inclusive, `createdBefore` exclusive; ties broken by `runId`; the last
 *   page has `nextCursor: null` (even when exactly full); a foreign cursor is `InvalidArgumentError`.
 *   `payloadMatch` keeps JSON types apart, reads indexes only from arrays and keys only from
 *   objects, and is checked (even when other filters match nothing) before the query runs.
 * - `runLogList` is oldest first; with `limit` it returns the newest `limit` lines. Trimming keeps
 *   the newest lines by `at`, then append order.
 * - `scheduleMaterialize` does nothing on a disabled schedule; when the slot already has a run it
 *   still advances `nextRunAt` but inserts nothing and returns `undefined`; a skipped slot's run has
 *   `finishedAt = now`; any active run of the job (whatever its origin) makes a non-concurrent slot
 *   `skipped`. `scheduleList` and `workerList` order by name; `scheduleListDue` by `nextRunAt`.
 * - `workerList` includes workers with `lastSeenAt >= now - seenWithinMs`.
 * - `close()` is idempotent; every later call rejects with `StoreClosedError` (`store_closed`).
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
  describePayloadSearchConformance(harness);
  describeOutputConformance(harness);
  describeWorkersConformance(harness);
  describeNotificationsConformance(harness);
  describeTransactionConformance(harness);
  describeBadInputConformance(harness);
}
