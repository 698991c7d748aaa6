import { describe, expect, it, type TestContext } from 'vitest';
import { getRun, newRun, useConformanceStore } from './conformance-fixtures.js';
import type { StoreConformanceHarness } from './store-conformance-harness.js';

/** Registers the conformance tests of the transactional enqueue area. */
export function describeTransactionConformance(harness: StoreConformanceHarness): void {
  describe(`store conformance: ${harness.name} › transactional enqueue`, () => {
    const current = useConformanceStore(harness);

    /** Skips (visibly) unless the store and the harness can run transactions. */
    function requireTransactions(test: TestContext) {
      const { store } = current();
      test.skip(!store.capabilities.transactionalEnqueue, 'the store does not have capabilities.transactionalEnqueue');
      const runInTransaction = harness.runInTransaction;
      if (!runInTransaction) return test.skip('the harness provides no runInTransaction');
      return runInTransaction;
    }

    it('inserts the runs when the caller transaction commits', async (test) => {
      const runInTransaction = requireTransactions(test);
      const { store } = current();
      const results = await runInTransaction(store, (transaction) =>
        store.runInsertMany({ runs: [newRun({ payloadJson: '{"n":1}' }), newRun({ payloadJson: '{"n":2}' })], transaction }),
      );
      expect(results).toHaveLength(2);
      expect((await getRun(store, results[0]!.runId)).payload).toEqual({ n: 1 });
      expect((await store.runCountByStatus({})).pending).toBe(2);
    });

    it('leaves no run when the caller transaction rolls back', async (test) => {
      const runInTransaction = requireTransactions(test);
      const { store } = current();
      let insertedIds: string[] = [];
      const rollback = new Error('business write failed');
      await expect(
        runInTransaction(store, async (transaction) => {
          insertedIds = (await store.runInsertMany({ runs: [newRun()], transaction })).map((result) => result.runId);
          throw rollback;
        }),
      ).rejects.toBe(rollback);
      expect(insertedIds).toHaveLength(1);
      expect(await store.runGet({ runId: insertedIds[0]! })).toBeUndefined();
      expect((await store.runCountByStatus({})).pending).toBe(0);
    });
  });
}
