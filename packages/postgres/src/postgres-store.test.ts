import {
  ConfigurationError,
  PayloadError,
  createClient,
  createJobRegistry,
  defineJob,
  resolveOptions,
  systemClock,
  InvalidArgumentError,
  StoreUnavailableError,
  type DurablyStore,
  type NewRun,
  type WorkAvailableEvent,
} from '@durably/core';
import type { SqlStore } from '@durably/sql';
import { newRun as newRunFixture } from '@durably/testing';
import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { PostgresAdapter } from './postgres-adapter.js';
import { claimStatement } from './postgres-claim.js';
import { createPostgresStore } from './postgres-store.js';
import { dropSchema, resolveTestDatabase, uniqueSchemaName } from './test-support/test-database.js';

const database = await resolveTestDatabase();
afterAll(async () => {
  if (database.url) await database.stop();
});

const newRun = (o: Partial<NewRun> = {}) =>
  newRunFixture({ jobName: 'pg.job', payloadJson: '{"n":1}', ...o });

describe.skipIf(!database.url)('postgres store', () => {
  const url = database.url!;
  let schema: string;
  let applicationName: string;
  let store: DurablyStore;

  beforeEach(async () => {
    schema = uniqueSchemaName('pg');
    applicationName = `durably-test-${schema}`;
    store = createPostgresStore({ connectionString: url, schema, applicationName });
    await store.migrate();
  });
  afterEach(async () => {
    await store.close();
    await dropSchema(url, schema);
  });

  it('takes "now" from the database clock when no clock is injected', async () => {
    const before = Date.now();
    const now = await store.clockNow();
    expect(Math.abs(now.getTime() - before)).toBeLessThan(5_000);
    await store.runInsertMany({ runs: [newRun()] });
    const [claimed] = await store.runClaim({
      workerName: 'w',
      limit: 1,
      leaseDurationMs: 60_000,
      jobNames: ['pg.job'],
    });
    expect(claimed!.leaseExpiresAt.getTime() - claimed!.run.startedAt!.getTime()).toBe(60_000);
    expect(claimed!.run.startedAt!.getTime()).toBeGreaterThanOrEqual(claimed!.run.createdAt.getTime());
  });

  it('claims through the claim index in order, even before statistics exist, and leases by row address (pinned plan)', async () => {
    await store.runInsertMany({ runs: Array.from({ length: 5_000 }, () => newRun()) });
    const statement = claimStatement((store as SqlStore).context, {
      workerName: 'w',
      limit: 10,
      leaseDurationMs: 30_000,
      jobNames: ['pg.job'],
    }).compile((store as SqlStore).context.db);
    // A connection configured like the store's claim pool.
    const client = new pg.Client({ connectionString: url, options: '-c enable_sort=off' });
    await client.connect();
    try {
      await client.query('begin');
      const plan = await client.query(`explain ${statement.sql}`, [...statement.parameters]);
      await client.query('rollback');
      const text = plan.rows.map((row: Record<string, string>) => row['QUERY PLAN']).join('\n');
      expect(text).toContain('Index Scan using durably_runs_claim_idx');
      expect(text).not.toMatch(/\bSort\b/);
      expect(text).toContain('Tid Scan'); // no primary key lookup, no hash of the table
    } finally {
      await client.end();
    }
  });

  it('claims on connections with sorts disabled and asynchronous commit (unless synchronousClaims)', async () => {
    const settingsOf = async (target: DurablyStore) => {
      const claimPool = ((target as SqlStore).context.adapter as PostgresAdapter).claimPool!;
      const result = await claimPool.query<{ sort: string; commit: string }>({
        name: 'claim_pool_settings',
        text: `select current_setting('enable_sort') as sort, current_setting('synchronous_commit') as commit`,
        values: [],
      });
      return result.rows[0];
    };
    expect(await settingsOf(store)).toEqual({ sort: 'off', commit: 'off' });
    const durable = createPostgresStore({
      connectionString: url,
      schema,
      synchronousClaims: true,
      notifications: false,
    });
    try {
      expect(await settingsOf(durable)).toEqual({ sort: 'off', commit: 'on' });
    } finally {
      await durable.close();
    }
  });

  it("works on the application's pool and leaves it open on close", async () => {
    const pool = new pg.Pool({ connectionString: url, max: 3 });
    const shared = createPostgresStore({ pool, schema, notifications: false });
    try {
      await shared.runInsertMany({ runs: [newRun()] });
      const claimed = await shared.runClaim({
        workerName: 'w',
        limit: 5,
        leaseDurationMs: 30_000,
        jobNames: ['pg.job'],
      });
      expect(claimed).toHaveLength(1);
      await shared.close();
      expect((await pool.query('select 1 as one')).rows).toEqual([{ one: 1 }]);
    } finally {
      await pool.end();
    }
  });

  it('migrate is idempotent and refuses a newer schema', async () => {
    await store.migrate();
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    try {
      await admin.query(
        `insert into "${schema}".durably_migrations (name, timestamp) values ('9999_future', '2099-01-01')`,
      );
    } finally {
      await admin.end();
    }
    await expect(store.migrate()).rejects.toMatchObject({ code: 'schema_version' });
  });

  it('migrates one fresh schema from four stores at once', async () => {
    const fresh = uniqueSchemaName('race');
    const stores = Array.from({ length: 4 }, () =>
      createPostgresStore({ connectionString: url, schema: fresh, notifications: false }),
    );
    try {
      await Promise.all(stores.map((s) => s.migrate()));
      await stores[0]!.runInsertMany({ runs: [newRun()] });
      expect((await stores[3]!.runCountByStatus({})).pending).toBe(1);
    } finally {
      await Promise.all(stores.map((s) => s.close()));
      await dropSchema(url, fresh);
    }
  });

  it("enqueues inside the caller's transaction: runs exist iff it commits", async () => {
    const pool = new pg.Pool({ connectionString: url, max: 2 });
    const db = new Kysely<Record<string, Record<string, unknown>>>({
      dialect: new PostgresDialect({ pool }),
    });
    try {
      await sql`create table ${sql.table(`${schema}.orders`)} (id int primary key)`.execute(db);
      await db.transaction().execute(async (trx) => {
        await sql`insert into ${sql.table(`${schema}.orders`)} values (1)`.execute(trx);
        await store.runInsertMany({ runs: [newRun()], transaction: trx });
      });
      await expect(
        db.transaction().execute(async (trx) => {
          await sql`insert into ${sql.table(`${schema}.orders`)} values (2)`.execute(trx);
          await store.runInsertMany({ runs: [newRun(), newRun({ key: 'k' })], transaction: trx });
          throw new Error('business rule failed');
        }),
      ).rejects.toThrow('business rule failed');
      expect((await store.runCountByStatus({})).pending).toBe(1);
      await expect(store.runInsertMany({ runs: [newRun()], transaction: db })).rejects.toBeInstanceOf(
        InvalidArgumentError,
      );
    } finally {
      await db.destroy();
    }
  });

  it("enqueues on the application's own pg client inside its transaction (commit and rollback)", async () => {
    const pool = new pg.Pool({ connectionString: url, max: 1 });
    const client = await pool.connect();
    try {
      await client.query('begin');
      await store.runInsertMany({ runs: [newRun(), newRun({ key: 'k' })], transaction: client });
      await client.query('rollback');
      expect((await store.runCountByStatus({})).pending).toBe(0);
      await client.query('begin');
      const [result] = await store.runInsertMany({ runs: [newRun({ key: 'k' })], transaction: client });
      // Not visible outside the transaction before it commits.
      expect(await store.runGet({ runId: result!.runId })).toBeUndefined();
      await client.query('commit');
      expect((await store.runGet({ runId: result!.runId }))?.status).toBe('pending');
      // A pool cannot carry the caller's transaction.
      await expect(store.runInsertMany({ runs: [newRun()], transaction: pool })).rejects.toBeInstanceOf(
        InvalidArgumentError,
      );
    } finally {
      client.release();
      await pool.end();
    }
  });

  it('refuses a tablePrefix or schema with SQL metacharacters', () => {
    for (const tablePrefix of ['x"; drop table y; --', "a'b", 'a b', 'a.b', '1abc']) {
      expect(() => createPostgresStore({ connectionString: url, tablePrefix })).toThrow(ConfigurationError);
    }
    expect(() => createPostgresStore({ connectionString: url, schema: 'public; drop schema x' })).toThrow(
      ConfigurationError,
    );
  });

  it('refuses a pool size that is not an integer >= 1, naming the option', () => {
    for (const option of ['poolSize', 'leasePoolSize', 'claimPoolSize'] as const) {
      for (const size of [0, -1, 1.5, Number.NaN]) {
        const error = (() => {
          try {
            createPostgresStore({ connectionString: url, [option]: size });
          } catch (caught) {
            return caught;
          }
          return undefined;
        })();
        expect(error, `${option}: ${size}`).toBeInstanceOf(ConfigurationError);
        expect((error as ConfigurationError).key).toBe(option);
      }
    }
  });

  it('refuses at enqueue a payload JSON cannot represent (BigInt, cycle, function), through the client', async () => {
    const job = defineJob<Record<string, unknown>>({ name: 'pg.job', run: async () => {} });
    const client = createClient({
      store,
      registry: createJobRegistry([job]),
      options: resolveOptions({}),
      clock: systemClock,
    });
    const cycle: Record<string, unknown> = {};
    cycle.self = cycle;
    for (const payload of [{ n: 1n }, cycle, { f: () => 1 }]) {
      await expect(client.enqueue(job, payload)).rejects.toBeInstanceOf(PayloadError);
    }
    await client.enqueue(job, { fine: true });
    expect((await store.runCountByStatus({})).pending).toBe(1);
  });

  it('refuses a payload that is not JSON text (what core produces) and stores nothing', async () => {
    // Core serialises payloads (and refuses BigInt, cycles, functions) before the store; the store
    // still refuses anything that is not JSON text, so raw callers cannot corrupt the table.
    await expect(
      store.runInsertMany({ runs: [newRun({ payloadJson: '{"n": 1n}' })] }),
    ).rejects.toBeInstanceOf(InvalidArgumentError);
    await expect(
      store.runInsertMany({ runs: [newRun({ payloadJson: 'undefined' })] }),
    ).rejects.toBeInstanceOf(InvalidArgumentError);
    expect((await store.runCountByStatus({})).pending).toBe(0);
  });

  it('coalesces concurrent enqueues; a row the database refuses fails only its own call', async () => {
    const calls = Array.from({ length: 100 }, (_, index) =>
      store.runInsertMany({
        runs: [newRun({ payloadJson: index === 37 ? '{"s":"\\u0000"}' : `{"n":${index}}` })],
      }),
    );
    const settled = await Promise.allSettled(calls);
    expect(settled.filter((result) => result.status === 'rejected')).toHaveLength(1);
    expect(settled[37]).toMatchObject({ status: 'rejected', reason: expect.any(InvalidArgumentError) });
    expect(String((settled[37] as PromiseRejectedResult).reason.message)).toMatch(/u0000/);
    expect((await store.runCountByStatus({})).pending).toBe(99);
  });

  it('sends one wake-up per queue per enqueue batch, not one per row', async () => {
    const events: WorkAvailableEvent[] = [];
    const unsubscribe = store.subscribeWork!((event) => events.push(event));
    await store.runInsertMany({
      runs: [
        ...Array.from({ length: 100 }, () => newRun({ queue: 'q1' })),
        ...Array.from({ length: 50 }, () => newRun({ queue: 'q2' })),
      ],
    });
    await vi.waitFor(() => expect(events).toHaveLength(2));
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(events.sort((a, b) => String(a.queue).localeCompare(String(b.queue)))).toEqual([
      { queue: 'q1' },
      { queue: 'q2' },
    ]);
    unsubscribe();
  });

  it('extends leases while every main-pool connection is busy (heartbeats have their own pool)', async () => {
    const small = createPostgresStore({ connectionString: url, schema, poolSize: 1, notifications: false });
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    try {
      await small.runInsertMany({ runs: [newRun()] });
      const [claimed] = await small.runClaim({
        workerName: 'w',
        limit: 1,
        leaseDurationMs: 60_000,
        jobNames: ['pg.job'],
      });
      // Hold the only main connection in an open transaction.
      const holding = (small as SqlStore).context.db.transaction().execute(async (trx) => {
        await sql`select 1`.execute(trx);
        await held;
      });
      const extended = await small.leaseExtend({
        workerName: 'w',
        attempts: [{ runId: claimed!.run.runId, attempt: 1 }],
        leaseDurationMs: 60_000,
      });
      expect(extended.extended).toEqual([claimed!.run.runId]);
      release();
      await holding;
    } finally {
      release();
      await small.close();
    }
  });

  it('survives its connections being terminated: no run lost, and the listener reconnects', async () => {
    const events: WorkAvailableEvent[] = [];
    const unsubscribe = store.subscribeWork!((event) => events.push(event));
    await store.runInsertMany({ runs: Array.from({ length: 50 }, () => newRun()) });
    await vi.waitFor(() => expect(events.length).toBeGreaterThan(0));
    const first = await store.runClaim({
      workerName: 'w',
      limit: 20,
      leaseDurationMs: 60_000,
      jobNames: ['pg.job'],
    });
    await terminateConnections(url, applicationName);
    events.length = 0;
    // The listener reconnects and wakes its subscribers once (notifications may have been missed).
    await vi.waitFor(() => expect(events).toContainEqual({}), { timeout: 10_000 });
    // A call may meet a dead pooled connection once; it then reports StoreUnavailableError.
    const finished = await retryUnavailable(() =>
      store.runFinishMany({
        finishes: first.map((c) => ({
          runId: c.run.runId,
          workerName: 'w',
          attempt: 1,
          outcome: { type: 'succeeded' as const },
        })),
      }),
    );
    expect(finished.every((result) => result.applied)).toBe(true);
    for (;;) {
      const claimed = await retryUnavailable(() =>
        store.runClaim({ workerName: 'w', limit: 20, leaseDurationMs: 60_000, jobNames: ['pg.job'] }),
      );
      if (claimed.length === 0) break;
      await store.runFinishMany({
        finishes: claimed.map((c) => ({
          runId: c.run.runId,
          workerName: 'w',
          attempt: 1,
          outcome: { type: 'succeeded' as const },
        })),
      });
    }
    expect((await store.runCountByStatus({})).succeeded).toBe(50);
    await store.runInsertMany({ runs: [newRun({ queue: 'after-drop' })] });
    await vi.waitFor(() => expect(events).toContainEqual({ queue: 'after-drop' }));
    unsubscribe();
  });
});

describe('postgres store: database down at startup', () => {
  it('migrate fails with a StoreUnavailableError that names the cause', async () => {
    // Port 1 on localhost: nothing listens there, so the connection is refused at once.
    const down = createPostgresStore({
      connectionString: 'postgres://postgres@127.0.0.1:1/test',
      notifications: false,
    });
    try {
      const error = await down.migrate().then(
        () => undefined,
        (caught: unknown) => caught,
      );
      expect(error).toBeInstanceOf(StoreUnavailableError);
      expect((error as Error).message).toMatch(/ECONNREFUSED/);
      expect((error as Error).message).toMatch(/database is reachable/);
    } finally {
      await down.close();
    }
  });
});

async function terminateConnections(url: string, applicationName: string): Promise<void> {
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  try {
    const result = await admin.query(
      'select pg_terminate_backend(pid) from pg_stat_activity where application_name = $1',
      [applicationName],
    );
    expect(result.rowCount).toBeGreaterThan(1);
  } finally {
    await admin.end();
  }
}

async function retryUnavailable<T>(call: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await call();
    } catch (error) {
      if (!(error instanceof StoreUnavailableError) || attempt >= 3) throw error;
    }
  }
}
