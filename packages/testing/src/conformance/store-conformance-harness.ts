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
}
