import type { DurablyStore, WorkAvailableEvent } from '@durably/core';
import { describe, expect, it, vi } from 'vitest';
import { insertAndClaim, insertRun, useConformanceStore, workerA } from './conformance-fixtures.js';
import type { StoreConformanceHarness } from './store-conformance-harness.js';

const lacksNotifications = 'the store does not have capabilities.notifications';

/** Subscribes and collects events; notifications may arrive asynchronously (LISTEN/NOTIFY). */
function collect(store: DurablyStore) {
  const events: WorkAvailableEvent[] = [];
  const unsubscribe = store.subscribeWork!((event) => events.push(event));
  return { events, unsubscribe };
}

async function eventually(assertion: () => void): Promise<void> {
  await vi.waitFor(assertion, { timeout: 5_000, interval: 10 });
}

/** Registers the conformance tests of the notifications area. */
export function describeNotificationsConformance(harness: StoreConformanceHarness): void {
  describe(`store conformance: ${harness.name} › notifications`, () => {
    const current = useConformanceStore(harness);

    it('offers subscribeWork exactly when capabilities.notifications is true', () => {
      const { store } = current();
      expect(typeof store.subscribeWork === 'function').toBe(store.capabilities.notifications);
    });

    it('wakes subscribers when a run due now is enqueued, naming its queue', async (test) => {
      const { store } = current();
      test.skip(!store.capabilities.notifications, lacksNotifications);
      const { events, unsubscribe } = collect(store);
      await insertRun(store, { queue: 'mail' });
      await eventually(() => expect(events).toContainEqual(expect.objectContaining({ queue: 'mail' })));
      unsubscribe();
    });

    it('wakes subscribers when a retry makes a run due now', async (test) => {
      const { store } = current();
      test.skip(!store.capabilities.notifications, lacksNotifications);
      const claimed = await insertAndClaim(store, { queue: 'reports' });
      const { events, unsubscribe } = collect(store);
      await store.runFinishMany({
        finishes: [{ runId: claimed.run.runId, workerName: workerA, attempt: 1, outcome: { type: 'retry', error: { name: 'E', message: 'm' }, delayMs: 0 } }],
      });
      await eventually(() => expect(events).toContainEqual(expect.objectContaining({ queue: 'reports' })));
      unsubscribe();
    });

    it('wakes subscribers when an interrupted run is released', async (test) => {
      const { store } = current();
      test.skip(!store.capabilities.notifications, lacksNotifications);
      const claimed = await insertAndClaim(store, { queue: 'reports' });
      const { events, unsubscribe } = collect(store);
      await store.runFinishMany({ finishes: [{ runId: claimed.run.runId, workerName: workerA, attempt: 1, outcome: { type: 'interrupted' } }] });
      await eventually(() => expect(events.length).toBeGreaterThan(0));
      unsubscribe();
    });

    it('stops delivering to a listener after it unsubscribes', async (test) => {
      const { store } = current();
      test.skip(!store.capabilities.notifications, lacksNotifications);
      const stopped = collect(store);
      const kept = collect(store);
      stopped.unsubscribe();
      await insertRun(store);
      await eventually(() => expect(kept.events.length).toBeGreaterThan(0));
      expect(stopped.events).toEqual([]);
      kept.unsubscribe();
    });
  });
}
