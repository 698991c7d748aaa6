import {
  SchemaVersionError,
  StoreUnavailableError,
  createFakeClock,
  type DurablyStore,
  type NewRun,
} from '@durably/core';
import type { AnyDb, SqlStore } from '@durably/sql';
import { newRun as newRunFixture } from '@durably/testing';
import { Kysely, MysqlDialect, sql } from 'kysely';
import { createPool } from 'mysql2';
import { createConnection, createPool as createPromisePool, type Connection } from 'mysql2/promise';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { dueRunsQuery } from './mysql-claim.js';
import { createMySqlStore } from './mysql-store.js';
import { MySqlTestDatabases, mysqlSkipReason, mysqlTestUrl } from './test-support/mysql-test-database.js';

const newRun = (o: Partial<NewRun> = {}) =>
  newRunFixture({ jobName: 'email', payloadJson: '{"to":"a@example.com"}', ...o });

describe('mysql store: options', () => {
  it('refuses a table prefix with SQL metacharacters before opening anything', () => {
    expect(() =>
      createMySqlStore({ connectionString: 'mysql://x@127.0.0.1/x', tablePrefix: 'x`; drop table y; --' }),
    ).toThrow(/tablePrefix/);
  });

  it('asks for a connection string or a pool, and a positive pool size', () => {
    expect(() => createMySqlStore({})).toThrow(/connectionString/);
    expect(() => createMySqlStore({ connectionString: 'mysql://x@127.0.0.1/x', maxConnections: 0 })).toThrow(
      /maxConnections/,
    );
  });

  it('reports an unreachable server as StoreUnavailableError', async () => {
    const store = createMySqlStore({ connectionString: 'mysql://root@127.0.0.1:1/test' });
    try {
      await expect(store.migrate()).rejects.toBeInstanceOf(StoreUnavailableError);
      await expect(store.runGet({ runId: '00000000-0000-4000-8000-000000000000' })).rejects.toThrow(
        /unavailable/,
      );
    } finally {
      await store.close();
    }
  });
});

describe.skipIf(!mysqlTestUrl)(
  mysqlTestUrl ? 'mysql store (focused)' : `mysql store (focused, ${mysqlSkipReason})`,
  () => {
    let databases: MySqlTestDatabases;
    let database: { name: string; url: string };
    let admin: Connection;
    let store: DurablyStore;
    let prefix: string;
    let counter = 0;
    beforeAll(async () => {
      databases = await MySqlTestDatabases.connect(mysqlTestUrl!);
      database = await databases.create();
      admin = await createConnection({ uri: database.url });
    });
    afterAll(async () => {
      await admin?.end();
      if (database) await databases.drop(database.name);
      await databases?.close();
    });
    beforeEach(async () => {
      counter += 1;
      prefix = `f${counter}_`;
      store = createMySqlStore({ connectionString: database.url, tablePrefix: prefix });
      await store.migrate();
    });
    afterEach(() => store.close());

    const query = async <T>(text: string, values: unknown[] = []) =>
      (await admin.query(text, values))[0] as T;

    it('creates datetime(6) times and the generated claim and active-key columns', async () => {
      const columns = await query<{ name: string; type: string }[]>(
        `select column_name as name, column_type as type from information_schema.columns
       where table_schema = database() and table_name = ? order by ordinal_position`,
        [`${prefix}durably_runs`],
      );
      const type = (name: string) => columns.find((column) => column.name === name)?.type;
      expect(type('run_at')).toBe('datetime(6)');
      expect(type('lease_expires_at')).toBe('datetime(6)');
      expect(columns.map((column) => column.name)).toEqual(
        expect.arrayContaining(['claimable', 'run_key_uq']),
      );
    });

    it('claims through the claim index, in priority order, with the lease from the database clock', async () => {
      // Enough finished runs that a scan would cost more than the index (the optimizer decides by size).
      await store.runInsertMany({ runs: Array.from({ length: 2_000 }, () => newRun({ jobName: 'old' })) });
      await query(`update ${prefix}durably_runs set status = 'succeeded', finished_at = utc_timestamp(3)`);
      await store.runInsertMany({ runs: [newRun(), newRun({ priority: 5 }), newRun({ priority: 1 })] });
      await query(`analyze table ${prefix}durably_runs`);
      const { context } = store as SqlStore;
      const due = dueRunsQuery(
        context,
        { workerName: 'w1', limit: 10, leaseDurationMs: 1, jobNames: ['email'] },
        context.now(),
      );
      const plan = await sql<{ key: string | null; Extra: string }>`explain ${due}`.execute(context.db);
      expect(plan.rows[0]!.key).toBe(`${prefix}durably_runs_claim_idx`);
      // Read in index order: no sort, so the scan (and its locks) stops after `limit` rows.
      expect(plan.rows[0]!.Extra).not.toMatch(/filesort/);
      const [before] = await query<{ t: string }[]>('select cast(utc_timestamp(3) as char) as t');
      const claimed = await store.runClaim({
        workerName: 'w1',
        limit: 10,
        leaseDurationMs: 30_000,
        jobNames: ['email'],
      });
      const [after] = await query<{ t: string }[]>('select cast(utc_timestamp(3) as char) as t');
      expect(claimed.map((c) => c.run.priority)).toEqual([5, 1, 0]);
      const utc = (text: string) => new Date(`${text.replace(' ', 'T')}Z`).getTime();
      for (const { leaseExpiresAt, run } of claimed) {
        expect(leaseExpiresAt.getTime()).toBeGreaterThanOrEqual(utc(before!.t) + 30_000);
        expect(leaseExpiresAt.getTime()).toBeLessThanOrEqual(utc(after!.t) + 30_000);
        expect(run.startedAt!.getTime()).toBe(leaseExpiresAt.getTime() - 30_000);
      }
    });

    it('inserts a batch of several statements all-or-nothing, and refuses a name too long instead of truncating it', async () => {
      const runs = Array.from({ length: 1_200 }, () => newRun());
      runs.push(newRun({ jobName: 'j'.repeat(300) }));
      await expect(store.runInsertMany({ runs })).rejects.toThrow(/too long/i);
      expect((await store.runCountByStatus({})).pending).toBe(0);
      const results = await store.runInsertMany({ runs: runs.slice(0, 1_200) });
      expect(new Set(results.map((result) => result.runId)).size).toBe(1_200);
      expect((await store.runCountByStatus({})).pending).toBe(1_200);
    });

    it('runs a store transaction again when InnoDB picks it as a deadlock victim', async () => {
      const { context } = store as SqlStore;
      await query(`create table ${prefix}deadlock (id int primary key, v int)`);
      await query(`insert into ${prefix}deadlock values (1, 0), (2, 0)`);
      let arrived = 0;
      let release!: () => void;
      const bothHoldFirstLock = new Promise<void>((resolve) => (release = resolve));
      let runs = 0;
      // Two transactions lock rows 1 and 2 in opposite orders: InnoDB kills one (1213) at once.
      const cross = (first: number, second: number) =>
        context.adapter.runStoreTransaction(() => {
          runs += 1;
          return context.db.transaction().execute(async (trx) => {
            await sql`update ${sql.table(`${prefix}deadlock`)} set v = v + 1 where id = ${first}`.execute(
              trx,
            );
            arrived += 1;
            if (arrived === 2) release();
            await bothHoldFirstLock;
            await sql`update ${sql.table(`${prefix}deadlock`)} set v = v + 1 where id = ${second}`.execute(
              trx,
            );
          });
        });
      await Promise.all([cross(1, 2), cross(2, 1)]);
      expect(runs).toBe(3);
      expect(await query(`select id, v from ${prefix}deadlock order by id`)).toEqual([
        { id: 1, v: 2 },
        { id: 2, v: 2 },
      ]);
    });

    it('classifies a query whose connection the server killed as transient, then recovers', async () => {
      const [result] = await store.runInsertMany({ runs: [newRun()] });
      const { context } = store as SqlStore;
      const slow = sql`select sleep(5) as s`.execute(context.db).then(
        () => undefined,
        (error: unknown) => error,
      );
      // Wait until the sleeping query is visible, then kill its connection under it.
      let victim: number | undefined;
      for (let tries = 0; victim === undefined && tries < 100; tries += 1) {
        const rows = await query<{ id: number }[]>(
          "select id from information_schema.processlist where db = database() and info like 'select sleep(5)%'",
        );
        victim = rows[0]?.id;
        if (victim === undefined) await new Promise((resolve) => setTimeout(resolve, 20));
      }
      expect(victim).toBeDefined();
      await query(`kill connection ${Number(victim)}`);
      const error = await slow;
      expect(error).toBeDefined();
      expect(context.adapter.isTransientError(error)).toBe(true);
      // The pool drops the dead connection: the next calls work.
      expect((await store.runGet({ runId: result!.runId }))?.status).toBe('pending');
      expect((await store.runCountByStatus({})).pending).toBe(1);
    });

    it('keeps keys that differ only in case or trailing spaces apart', async () => {
      const results = await store.runInsertMany({
        runs: [newRun({ key: 'k' }), newRun({ key: 'K' }), newRun({ key: 'k ' })],
      });
      expect(results.map((result) => result.outcome)).toEqual(['inserted', 'inserted', 'inserted']);
      const [again] = await store.runInsertMany({ runs: [newRun({ key: 'k ' })] });
      expect(again).toEqual({ runId: results[2]!.runId, outcome: 'existing' });
    });

    it('stores non-ASCII payloads and keys unchanged', async () => {
      const [result] = await store.runInsertMany({
        runs: [newRun({ key: 'clé-😀', payloadJson: '{"text":"Grüße 😀 日本"}', metadata: { note: 'ü' } })],
      });
      const run = await store.runGet({ runId: result!.runId });
      expect(run).toMatchObject({
        key: 'clé-😀',
        payload: { text: 'Grüße 😀 日本' },
        metadata: { note: 'ü' },
      });
    });

    it('enqueues through the application pool and Kysely transaction: kept on commit, gone on rollback', async () => {
      // The application's pool: mysql2 defaults (local time zone) and a session in another zone.
      const pool = createPool({ uri: database.url, connectionLimit: 2 });
      pool.on('connection', (connection) => connection.query("set time_zone = '+05:00'"));
      const app = new Kysely<AnyDb>({ dialect: new MysqlDialect({ pool }) });
      const shared = createMySqlStore({ pool, tablePrefix: prefix });
      try {
        const runAt = new Date('2030-06-01T12:34:56.789Z');
        const committed = await app
          .transaction()
          .execute((trx) => shared.runInsertMany({ runs: [newRun({ runAt })], transaction: trx }));
        await expect(
          app.transaction().execute(async (trx) => {
            await shared.runInsertMany({ runs: [newRun({ jobName: 'rolled-back' })], transaction: trx });
            throw new Error('business write failed');
          }),
        ).rejects.toThrow('business write failed');
        const run = await shared.runGet({ runId: committed[0]!.runId });
        expect(run?.runAt.toISOString()).toBe(runAt.toISOString());
        expect((await shared.runCountByStatus({ jobName: 'rolled-back' })).pending).toBe(0);
        expect((await shared.runCountByStatus({ jobName: 'email' })).pending).toBe(1);
      } finally {
        await shared.close();
        await app.destroy();
      }
      // The store did not end the application's pool.
    });

    it("enqueues on the application's own mysql2 connection inside its transaction (commit and rollback)", async () => {
      const pool = createPromisePool({ uri: database.url, connectionLimit: 1 });
      try {
        const connection = await pool.getConnection();
        await connection.beginTransaction();
        const [kept] = await store.runInsertMany({
          runs: [newRun({ jobName: 'native-kept' })],
          transaction: connection,
        });
        // Not visible outside the caller's transaction before it commits.
        expect(await store.runGet({ runId: kept!.runId })).toBeUndefined();
        await connection.commit();
        expect((await store.runGet({ runId: kept!.runId }))?.jobName).toBe('native-kept');
        await connection.beginTransaction();
        await store.runInsertMany({
          runs: [newRun({ jobName: 'native-dropped', key: 'k' })],
          transaction: connection.connection,
        });
        await connection.rollback();
        connection.release();
        expect((await store.runCountByStatus({ jobName: 'native-dropped' })).pending).toBe(0);
      } finally {
        await pool.end();
      }
    });

    it('accepts a mysql2/promise pool too', async () => {
      const pool = createPromisePool({ uri: database.url, connectionLimit: 2 });
      const shared = createMySqlStore({ pool, tablePrefix: prefix });
      try {
        const [result] = await shared.runInsertMany({ runs: [newRun()] });
        expect((await shared.runGet({ runId: result!.runId }))?.status).toBe('pending');
      } finally {
        await shared.close();
        await pool.end();
      }
    });

    it('reads and writes UTC instants whatever the session time zone', async () => {
      const clock = createFakeClock('2026-03-29T00:59:59.999Z');
      const timed = createMySqlStore({ connectionString: database.url, tablePrefix: prefix, clock });
      try {
        const [result] = await timed.runInsertMany({
          runs: [newRun({ runAt: new Date('2026-10-25T01:30:00.001Z') })],
        });
        await admin.query("set time_zone = 'SYSTEM'");
        const [row] = await query<{ run_at: Date | string; created_at: Date | string }[]>(
          `select date_format(run_at, '%Y-%m-%d %H:%i:%s.%f') as run_at, date_format(created_at, '%Y-%m-%d %H:%i:%s.%f') as created_at
         from ${prefix}durably_runs where id = ?`,
          [result!.runId],
        );
        expect(row).toEqual({
          run_at: '2026-10-25 01:30:00.001000',
          created_at: '2026-03-29 00:59:59.999000',
        });
      } finally {
        await timed.close();
      }
    });

    it('migrates again without change and refuses a schema migrated by a newer version', async () => {
      await store.migrate();
      await query(`insert into ${prefix}durably_migrations (name, timestamp) values ('9999_future', 'x')`);
      const again = createMySqlStore({ connectionString: database.url, tablePrefix: prefix });
      try {
        await expect(again.migrate()).rejects.toBeInstanceOf(SchemaVersionError);
      } finally {
        await again.close();
      }
    });

    it('accepts the longest table prefix (24 characters): every derived name fits in 64', async () => {
      const long = createMySqlStore({
        connectionString: database.url,
        tablePrefix: 'p23456789012345678901234',
      });
      try {
        await long.migrate();
        const [result] = await long.runInsertMany({ runs: [newRun({ key: 'x' })] });
        expect(result!.outcome).toBe('inserted');
      } finally {
        await long.close();
      }
    });

    it('two processes migrating at once both succeed and create the schema once', async () => {
      const stores = [1, 2].map(() =>
        createMySqlStore({ connectionString: database.url, tablePrefix: `${prefix}m_` }),
      );
      try {
        await Promise.all(stores.map((s) => s.migrate()));
        const rows = await query<{ n: number }[]>(`select count(*) as n from ${prefix}m_durably_migrations`);
        expect(rows[0]!.n).toBe(1);
      } finally {
        await Promise.all(stores.map((s) => s.close()));
      }
    });
  },
);
