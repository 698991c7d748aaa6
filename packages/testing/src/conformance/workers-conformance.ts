import { describe, expect, it } from 'vitest';
import { at, ms, useConformanceStore } from './conformance-fixtures.js';
import type { StoreConformanceHarness } from './store-conformance-harness.js';

/** Registers the conformance tests of the workers area. */
export function describeWorkersConformance(harness: StoreConformanceHarness): void {
  describe(`store conformance: ${harness.name} › workers`, () => {
    const current = useConformanceStore(harness);
    const worker = (workerName: string, activeRuns = 0) => ({
      workerName,
      queues: ['default', 'mail'],
      startedAt: new Date(at(-60_000)),
      activeRuns,
    });

    it('records a beat with lastSeenAt = now and lists the worker', async () => {
      const { store, clock } = current();
      clock.advance(5_000);
      await store.workerBeat({ worker: worker('w-1', 2) });
      const [listed] = await store.workerList({ seenWithinMs: 60_000 });
      expect(listed).toMatchObject({ workerName: 'w-1', queues: ['default', 'mail'], activeRuns: 2 });
      expect(ms(listed?.startedAt)).toBe(at(-60_000));
      expect(ms(listed?.lastSeenAt)).toBe(at(5_000));
    });

    it('updates the same worker on every beat', async () => {
      const { store, clock } = current();
      await store.workerBeat({ worker: worker('w-1', 1) });
      clock.advance(1_000);
      await store.workerBeat({ worker: { ...worker('w-1', 4), queues: null } });
      const listed = await store.workerList({ seenWithinMs: 60_000 });
      expect(listed).toHaveLength(1);
      expect(listed[0]).toMatchObject({ activeRuns: 4, queues: null });
      expect(ms(listed[0]?.lastSeenAt)).toBe(at(1_000));
    });

    it('lists only workers seen within seenWithinMs, ordered by name', async () => {
      const { store, clock } = current();
      await store.workerBeat({ worker: worker('w-old') });
      clock.advance(30_000);
      await store.workerBeat({ worker: worker('w-b') });
      await store.workerBeat({ worker: worker('w-a') });
      expect((await store.workerList({ seenWithinMs: 30_000 })).map((w) => w.workerName)).toEqual(['w-a', 'w-b', 'w-old']);
      expect((await store.workerList({ seenWithinMs: 29_999 })).map((w) => w.workerName)).toEqual(['w-a', 'w-b']);
    });

    it('removes a worker; removing an unknown one is a no-op', async () => {
      const { store } = current();
      await store.workerBeat({ worker: worker('w-1') });
      await store.workerRemove({ workerName: 'w-1' });
      await store.workerRemove({ workerName: 'w-unknown' });
      expect(await store.workerList({ seenWithinMs: 60_000 })).toEqual([]);
    });
  });
}
