import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createFakeClock, type DurablyStore, type NewRun } from '@durably/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSqliteStore } from './sqlite-store.js';

const newRun = (overrides: Partial<NewRun> = {}): NewRun => ({
  jobName: 'email',
  payloadJson: '{"to":"a@example.com"}',
  queue: 'default',
  priority: 0,
  maxAttempts: 3,
  runAt: null,
  key: null,
  keyConflict: 'keep-existing',
  origin: 'enqueue',
  metadata: {},
  ...overrides,
});

describe('sqlite store (focused)', () => {
  let dir: string;
  let store: DurablyStore;
  const clock = createFakeClock('2026-01-01T00:00:00Z');

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'durably-sqlite-'));
    store = createSqliteStore({ filename: join(dir, 'test.db'), clock });
    await store.migrate();
    await store.migrate();
  });
  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('inserts, claims, finishes and records the attempt', async () => {
    const [inserted] = await store.runInsertMany({ runs: [newRun(), newRun({ priority: 5 })] });
    expect(inserted!.outcome).toBe('inserted');
    const claimed = await store.runClaim({ workerName: 'w1', limit: 10, leaseDurationMs: 30_000, jobNames: ['email'] });
    expect(claimed.map((c) => c.run.priority)).toEqual([5, 0]);
    expect(claimed[0]!.run.attempt).toBe(1);
    expect(claimed[0]!.leaseExpiresAt.toISOString()).toBe('2026-01-01T00:00:30.000Z');
    const again = await store.runClaim({ workerName: 'w2', limit: 10, leaseDurationMs: 30_000, jobNames: ['email'] });
    expect(again).toHaveLength(0);
    const results = await store.runFinishMany({
      finishes: [
        { runId: claimed[0]!.run.runId, workerName: 'w1', attempt: 1, outcome: { type: 'succeeded' } },
        { runId: claimed[1]!.run.runId, workerName: 'zombie', attempt: 1, outcome: { type: 'succeeded' } },
      ],
    });
    expect(results).toEqual([
      { runId: claimed[0]!.run.runId, applied: true, status: 'succeeded' },
      { runId: claimed[1]!.run.runId, applied: false, status: 'leased' },
    ]);
    const attempts = await store.attemptList({ runId: claimed[0]!.run.runId });
    expect(attempts).toHaveLength(1);
    expect(attempts[0]!.outcome).toBe('succeeded');
    const run = await store.runGet({ runId: claimed[0]!.run.runId });
    expect(run?.payload).toEqual({ to: 'a@example.com' });
    expect(run?.finishedAt?.toISOString()).toBe('2026-01-01T00:00:00.000Z');
  });

  it('keeps one active run per key', async () => {
    const [first] = await store.runInsertMany({ runs: [newRun({ key: 'k' })] });
    const [second] = await store.runInsertMany({ runs: [newRun({ key: 'k' })] });
    expect(second).toEqual({ runId: first!.runId, outcome: 'existing' });
    await expect(store.runInsertMany({ runs: [newRun({ key: 'k', keyConflict: 'reject' })] })).rejects.toThrow(/key/);
    const [replaced] = await store.runInsertMany({ runs: [newRun({ key: 'k', keyConflict: 'replace', payloadJson: '2' })] });
    expect(replaced).toEqual({ runId: first!.runId, outcome: 'replaced' });
    expect((await store.runGet({ runId: first!.runId }))?.payload).toBe(2);
  });

  it('reaps expired leases and retries on a fresh attempt', async () => {
    await store.runInsertMany({ runs: [newRun({ maxAttempts: 1 }), newRun()] });
    await store.runClaim({ workerName: 'w1', limit: 10, leaseDurationMs: 1_000, jobNames: ['email'] });
    clock.advance(2_000);
    const reaped = await store.leaseReapExpired({ limit: 10 });
    expect(reaped.map((r) => r.status).sort()).toEqual(['failed', 'pending']);
    const counts = await store.runCountByStatus({});
    expect(counts.failed).toBe(1);
    expect(counts.pending).toBe(1);
  });

  it('rejects a table prefix with SQL metacharacters', () => {
    expect(() => createSqliteStore({ filename: join(dir, 'x.db'), tablePrefix: 'x; drop table y; --' })).toThrow(
      /tablePrefix/,
    );
  });
});
