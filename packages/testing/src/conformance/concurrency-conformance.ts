import { RunKeyConflictError } from '@durably/core';
import { describe, expect, it } from 'vitest';
import { jobA, newRun, useConformanceStore } from './conformance-fixtures.js';
import type { StoreConformanceHarness } from './store-conformance-harness.js';

/** Registers the conformance tests of the concurrency area. */
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

    it('concurrent reapers handle each expired lease exactly once', async () => {
      const { store, clock } = current();
      await store.runInsertMany({ runs: Array.from({ length: 60 }, () => newRun()) });
      const claimed = await store.runClaim({ workerName: 'w', limit: 60, leaseDurationMs: 1_000, jobNames: [jobA] });
      expect(claimed).toHaveLength(60);
      clock.advance(1_000);
      const reaped = (
        await Promise.all(
          Array.from({ length: 6 }, async () => {
            const mine = [];
            for (let batch = await store.leaseReapExpired({ limit: 7 }); batch.length > 0; batch = await store.leaseReapExpired({ limit: 7 })) {
              mine.push(...batch);
            }
            return mine;
          }),
        )
      ).flat();
      expect(reaped).toHaveLength(60);
      expect(new Set(reaped.map((entry) => entry.runId)).size).toBe(60);
      expect((await store.runCountByStatus({})).pending).toBe(60);
      for (const { run } of claimed.slice(0, 5)) {
        expect(await store.attemptList({ runId: run.runId })).toHaveLength(1);
      }
    });

    it('concurrent enqueues with the same key and reject: exactly one inserts', async () => {
      const { store } = current();
      const settled = await Promise.allSettled(
        Array.from({ length: 10 }, () => store.runInsertMany({ runs: [newRun({ key: 'once', keyConflict: 'reject' })] })),
      );
      expect(settled.filter((result) => result.status === 'fulfilled')).toHaveLength(1);
      for (const result of settled) {
        if (result.status === 'rejected') expect(result.reason).toBeInstanceOf(RunKeyConflictError);
      }
      expect((await store.runCountByStatus({})).pending).toBe(1);
    });

    it('cancels racing claims: each run ends either cancelled unclaimed or claimed with a request', async () => {
      const { store } = current();
      const inserted = await store.runInsertMany({ runs: Array.from({ length: 40 }, () => newRun()) });
      const claimedIds = new Set<string>();
      const claimers = Array.from({ length: 4 }, async (_, index) => {
        for (;;) {
          const batch = await store.runClaim({ workerName: `w-${index}`, limit: 3, leaseDurationMs: 60_000, jobNames: [jobA] });
          if (batch.length === 0) return;
          for (const { run } of batch) claimedIds.add(run.runId);
        }
      });
      const cancels = inserted.map((result) => store.runCancel({ runId: result.runId }));
      const outcomes = await Promise.all(cancels);
      await Promise.all(claimers);
      for (const [index, result] of inserted.entries()) {
        const run = await store.runGet({ runId: result.runId });
        if (claimedIds.has(result.runId)) {
          expect(outcomes[index]?.outcome).toBe('cancel_requested');
          expect(run?.status).toBe('leased');
          expect(run?.cancelRequestedAt).not.toBeNull();
        } else {
          expect(outcomes[index]?.outcome).toBe('cancelled');
          expect(run?.status).toBe('cancelled');
        }
      }
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
