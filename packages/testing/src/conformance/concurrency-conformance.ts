import { describe, expect, it } from 'vitest';
import { jobA, newRun, useConformanceStore } from './conformance-fixtures.js';
import type { StoreConformanceHarness } from './store-conformance-harness.js';

export function describeConcurrencyConformance(harness: StoreConformanceHarness): void {
  describe(`store conformance: ${harness.name} › concurrency`, () => {
    const current = useConformanceStore(harness);

    it('20 concurrent claimers over 500 runs: every run is claimed exactly once', async () => {
      const { store } = current();
      const total = 500;
      for (let offset = 0; offset < total; offset += 100) {
        await store.runInsertMany({ runs: Array.from({ length: 100 }, () => newRun()) });
      }
      const claimedBy = new Map<string, string[]>();
      const claimer = async (workerName: string) => {
        for (;;) {
          const claimed = await store.runClaim({ workerName, limit: 7, leaseDurationMs: 60_000, jobNames: [jobA] });
          if (claimed.length === 0) return;
          for (const { run } of claimed) {
            expect(run.leaseOwner).toBe(workerName);
            claimedBy.set(run.runId, [...(claimedBy.get(run.runId) ?? []), workerName]);
          }
        }
      };
      await Promise.all(Array.from({ length: 20 }, (_, index) => claimer(`worker-${index}`)));
      expect(claimedBy.size).toBe(total);
      const duplicates = [...claimedBy.entries()].filter(([, workers]) => workers.length !== 1);
      expect(duplicates).toEqual([]);
      const counts = await store.runCountByStatus({ jobName: jobA });
      expect(counts.leased).toBe(total);
      expect(counts.pending).toBe(0);
    });

    it('concurrent finishes of the same attempt apply once', async () => {
      const { store } = current();
      await store.runInsertMany({ runs: [newRun()] });
      const [claimed] = await store.runClaim({ workerName: 'w', limit: 1, leaseDurationMs: 60_000, jobNames: [jobA] });
      const ref = { runId: claimed!.run.runId, workerName: 'w', attempt: 1 };
      const results = await Promise.all(
        Array.from({ length: 10 }, () => store.runFinishMany({ finishes: [{ ...ref, outcome: { type: 'succeeded' } }] })),
      );
      expect(results.filter(([result]) => result?.applied)).toHaveLength(1);
      expect(await store.attemptList({ runId: ref.runId })).toHaveLength(1);
    });
  });
}
