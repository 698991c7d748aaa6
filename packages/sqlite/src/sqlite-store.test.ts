import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createFakeClock, type DurablyStore, type NewRun } from '@durably/core';
import { newRun as newRunFixture } from '@durably/testing';
import Database from 'better-sqlite3';
import { Kysely, sql } from 'kysely';
import { SqliteImmediateDialect } from './sqlite-immediate-dialect.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSqliteStore } from './sqlite-store.js';

const newRun = (o: Partial<NewRun> = {}) =>
  newRunFixture({ jobName: 'email', payloadJson: '{"to":"a@example.com"}', ...o });

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
    const claimed = await store.runClaim({
      workerName: 'w1',
      limit: 10,
      leaseDurationMs: 30_000,
      jobNames: ['email'],
    });
    expect(claimed.map((c) => c.run.priority)).toEqual([5, 0]);
    expect(claimed[0]!.run.attempt).toBe(1);
    expect(claimed[0]!.leaseExpiresAt.toISOString()).toBe('2026-01-01T00:00:30.000Z');
    const again = await store.runClaim({
      workerName: 'w2',
      limit: 10,
      leaseDurationMs: 30_000,
      jobNames: ['email'],
    });
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
    await expect(
      store.runInsertMany({ runs: [newRun({ key: 'k', keyConflict: 'reject' })] }),
    ).rejects.toThrow(/key/);
    const [replaced] = await store.runInsertMany({
      runs: [newRun({ key: 'k', keyConflict: 'replace', payloadJson: '2' })],
    });
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

  it('takes "now" from SQLite when no clock is injected', async () => {
    const system = createSqliteStore({ filename: join(dir, 'system.db') });
    try {
      await system.migrate();
      const now = await system.clockNow();
      expect(Math.abs(now.getTime() - Date.now())).toBeLessThan(5_000);
      await system.runInsertMany({ runs: [newRun()] });
      const [claimed] = await system.runClaim({
        workerName: 'w',
        limit: 1,
        leaseDurationMs: 60_000,
        jobNames: ['email'],
      });
      expect(claimed!.leaseExpiresAt.getTime() - claimed!.run.startedAt!.getTime()).toBe(60_000);
      expect(claimed!.run.startedAt!.getTime()).toBeGreaterThanOrEqual(claimed!.run.createdAt.getTime());
    } finally {
      await system.close();
    }
  });

  it('refuses to migrate a schema newer than it knows', async () => {
    const db = new Database(join(dir, 'test.db'));
    db.prepare("insert into durably_migrations (name, timestamp) values ('9999_future', '2099-01-01')").run();
    db.close();
    await expect(store.migrate()).rejects.toMatchObject({ code: 'schema_version' });
  });

  it('rejects a table prefix with SQL metacharacters', () => {
    expect(() =>
      createSqliteStore({ filename: join(dir, 'x.db'), tablePrefix: 'x; drop table y; --' }),
    ).toThrow(/tablePrefix/);
  });

  it("enqueues inside the caller's transaction: runs exist iff it commits", async () => {
    const db = new Kysely<Record<string, Record<string, unknown>>>({
      dialect: new SqliteImmediateDialect({ database: new Database(join(dir, 'app.db')) }),
    });
    const shared = createSqliteStore({ kysely: db, tablePrefix: 'app_' });
    try {
      await shared.migrate();
      await sql`create table orders (id integer primary key)`.execute(db);
      await db.transaction().execute(async (trx) => {
        await sql`insert into orders (id) values (1)`.execute(trx);
        await shared.runInsertMany({ runs: [newRun()], transaction: trx });
      });
      await expect(
        db.transaction().execute(async (trx) => {
          await sql`insert into orders (id) values (2)`.execute(trx);
          await shared.runInsertMany({ runs: [newRun(), newRun()], transaction: trx });
          throw new Error('business rule failed');
        }),
      ).rejects.toThrow('business rule failed');
      expect((await shared.runCountByStatus({})).pending).toBe(1);
      expect((await sql<{ n: number }>`select count(*) as n from orders`.execute(db)).rows[0]!.n).toBe(1);
      await expect(shared.runInsertMany({ runs: [newRun()], transaction: db })).rejects.toThrow(
        /transaction/,
      );
    } finally {
      await shared.close();
      await db.destroy();
    }
  });
});
