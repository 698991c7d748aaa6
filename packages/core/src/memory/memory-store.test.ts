import { describe, expect, it } from 'vitest';
import { createFakeClock } from '../clock.js';
import { InvalidArgumentError, StoreClosedError } from '../errors.js';
import type { NewRun, WorkAvailableEvent } from '../store.js';
import { createMemoryStore } from './memory-store.js';

function newRun(overrides: Partial<NewRun> = {}): NewRun {
  return {
    jobName: 'job',
    payloadJson: '{}',
    queue: 'default',
    priority: 0,
    maxAttempts: 3,
    runAt: null,
    key: null,
    keyConflict: 'keep-existing',
    origin: 'enqueue',
    metadata: {},
    ...overrides,
  };
}

/** Lets queued microtasks (the notifier's deliveries) run. */
const flush = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('createMemoryStore', () => {
  it('declares its capabilities', () => {
    const store = createMemoryStore();
    expect(store.provider).toBe('memory');
    expect(store.capabilities).toEqual({
      crossProcess: false,
      notifications: true,
      transactionalEnqueue: false,
      defaultRunRetentionSeconds: 3600,
    });
  });

  it('uses the system clock by default', async () => {
    const before = Date.now();
    const now = (await createMemoryStore().clockNow()).getTime();
    expect(now).toBeGreaterThanOrEqual(before);
    expect(now).toBeLessThanOrEqual(Date.now());
  });

  it('generates time-ordered (version 7) UUID run ids', async () => {
    const [result] = await createMemoryStore().runInsertMany({ runs: [newRun()] });
    expect(result?.runId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('explains why a transaction is rejected', async () => {
    const attempt = createMemoryStore().runInsertMany({ runs: [newRun()], transaction: {} });
    await expect(attempt).rejects.toBeInstanceOf(InvalidArgumentError);
    await expect(attempt).rejects.toThrow(/transactionalEnqueue is false/);
  });

  it('does not notify for a run due later, and notifies when it is made due by a snooze of 0', async () => {
    const clock = createFakeClock();
    const store = createMemoryStore({ clock });
    const events: WorkAvailableEvent[] = [];
    store.subscribeWork?.((event) => events.push(event));
    await store.runInsertMany({ runs: [newRun({ runAt: new Date(clock.now().getTime() + 1_000) })] });
    await flush();
    expect(events).toEqual([]);
    clock.advance(1_000);
    const [claimed] = await store.runClaim({ workerName: 'w', limit: 1, leaseDurationMs: 1_000, jobNames: ['job'] });
    await store.runFinishMany({ finishes: [{ runId: claimed!.run.runId, workerName: 'w', attempt: 1, outcome: { type: 'snoozed', delayMs: 0 } }] });
    await flush();
    expect(events).toEqual([{ queue: 'default' }]);
  });

  it('notifies once per queue for a batch', async () => {
    const store = createMemoryStore();
    const events: WorkAvailableEvent[] = [];
    store.subscribeWork?.((event) => events.push(event));
    await store.runInsertMany({ runs: [newRun(), newRun(), newRun({ queue: 'mail' })] });
    await flush();
    expect(events).toEqual([{ queue: 'default' }, { queue: 'mail' }]);
  });

  it('does not deliver to a listener that unsubscribed before the delivery ran', async () => {
    const store = createMemoryStore();
    const events: WorkAvailableEvent[] = [];
    const unsubscribe = store.subscribeWork!((event) => events.push(event));
    const insert = store.runInsertMany({ runs: [newRun()] });
    unsubscribe();
    await insert;
    await flush();
    expect(events).toEqual([]);
  });

  it('keeps working when a listener throws, and still calls the other listeners', async () => {
    const store = createMemoryStore();
    const events: WorkAvailableEvent[] = [];
    const warnings: string[] = [];
    const onWarning = (warning: Error) => warnings.push(warning.message);
    process.on('warning', onWarning);
    try {
      store.subscribeWork!(() => {
        throw new Error('listener bug');
      });
      store.subscribeWork!((event) => events.push(event));
      await expect(store.runInsertMany({ runs: [newRun()] })).resolves.toHaveLength(1);
      await flush();
      expect(events).toHaveLength(1);
      expect(warnings.some((message) => message.includes('listener bug'))).toBe(true);
    } finally {
      process.off('warning', onWarning);
    }
  });

  it('lets a listener read the run that triggered it', async () => {
    const store = createMemoryStore();
    const seen: number[] = [];
    store.subscribeWork!(() => {
      void store.runCountByStatus({}).then((counts) => seen.push(counts.pending));
    });
    await store.runInsertMany({ runs: [newRun()] });
    await flush();
    expect(seen).toEqual([1]);
  });

  it('refuses new subscriptions after close and drops existing ones', async () => {
    const store = createMemoryStore();
    const events: WorkAvailableEvent[] = [];
    store.subscribeWork!((event) => events.push(event));
    await store.close();
    expect(() => store.subscribeWork!(() => undefined)).toThrow(StoreClosedError);
    await expect(store.runInsertMany({ runs: [newRun()] })).rejects.toBeInstanceOf(StoreClosedError);
    await flush();
    expect(events).toEqual([]);
  });

  it('applies a method atomically: a concurrent reader never sees half a batch', async () => {
    const store = createMemoryStore();
    const insert = store.runInsertMany({ runs: Array.from({ length: 50 }, () => newRun()) });
    const counts = store.runCountByStatus({});
    await insert;
    expect((await counts).pending).toBe(50);
  });

  it('stores its own copies of the caller input', async () => {
    const store = createMemoryStore();
    const metadata: Record<string, string> = { a: '1' };
    const runAt = new Date('2026-01-01T00:00:00Z');
    const [result] = await store.runInsertMany({ runs: [newRun({ metadata, runAt })] });
    metadata.a = 'changed';
    runAt.setTime(0);
    const run = await store.runGet({ runId: result!.runId });
    expect(run?.metadata).toEqual({ a: '1' });
    expect(run?.runAt.toISOString()).toBe('2026-01-01T00:00:00.000Z');
  });
});
