import type { DurablyStore, FakeClock } from '@durably/core';

/**
 * How a provider plugs into {@link runStoreConformance}: a name for the test titles and a factory
 * for fresh stores. Every test gets its own store from `createStore`.
 */
export interface StoreConformanceHarness {
  /** Shown in test titles, e.g. `postgres`: `store conformance: postgres › claim`. */
  name: string;
  /**
   * Returns a fresh, migrated, empty store that reads "now" from `clock` (the suite moves time with
   * it; it starts at 2026-01-01T00:00:00Z).
   */
  createStore(ctx: { clock: FakeClock }): Promise<DurablyStore>;
  /**
   * Called after each test with the test's store, which may already be closed (the close tests
   * close it): drop its schema or tables, release what `createStore` opened. The suite calls
   * `store.close()` afterwards (close must be idempotent).
   */
  destroyStore?(store: DurablyStore): Promise<void>;
  /**
   * Runs `work` in a transaction of the store's database (for a Kysely store, a Kysely
   * `Transaction`), committing when it resolves and rolling back when it throws. Lets the suite
   * check transactional enqueue; stores with `capabilities.transactionalEnqueue` should provide it
   * (without it those tests are skipped, visibly).
   */
  runInTransaction?<T>(store: DurablyStore, work: (transaction: unknown) => Promise<T>): Promise<T>;
}
