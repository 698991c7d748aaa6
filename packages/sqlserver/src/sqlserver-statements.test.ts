/**
 * The SQL Server provider's statements, compiled by Kysely's real MssqlDialect compiler through the
 * store's real code paths, compared with reviewed T-SQL. No server runs here (none can on our
 * machines): these tests catch a regression in the generated SQL, not a server-side error. Review a
 * changed snapshot as you would a migration before accepting it (`vitest -u`).
 */
import type { DurablyStore } from '@durably/core';
import type { AnyDb } from '@durably/sql';
import { Kysely } from 'kysely';
import { beforeEach, describe, expect, it } from 'vitest';
import { createSqlServerStoreOn } from './sqlserver-store.js';
import { RecordingMssqlDialect } from './test-support/recording-dialect.js';
import { createStatementStore, newRun, otherId, runId, runRow } from './test-support/statement-fixtures.js';

describe('sqlserver statements: migrations, claim, enqueue, finish, leases (MssqlDialect, no server)', () => {
  let dialect: RecordingMssqlDialect;
  let store: DurablyStore;

  beforeEach(() => {
    ({ dialect, store } = createStatementStore());
  });

  it('migrations: schema, tables, filtered indexes, under the migrator lock', async () => {
    await store.migrate();
    // Kysely's own introspection queries are its business; ours and the migrator's bookkeeping are reviewed.
    expect(
      dialect.take(
        (s) =>
          /durably|schema_id|sp_getapplock|begin transaction|commit/.test(s) &&
          !s.startsWith('select "tables"'),
      ),
    ).toMatchInlineSnapshot(`
      "
      if schema_id(@1) is null exec(@2)
        -- ["jobs","create schema [jobs]"]

      select name from "jobs"."app_durably_migrations"

      select 1 from "jobs"."app_durably_migrations" where 1 = 0

      select 1 from "jobs"."app_durably_migrations_lock" where 1 = 0

      select 1 from "jobs"."app_durably_migrations" where 1 = 0

      select 1 from "jobs"."app_durably_migrations_lock" where 1 = 0

      select "id" from "jobs"."app_durably_migrations_lock" where "id" = @1
        -- ["migration_lock"]

      insert into "jobs"."app_durably_migrations_lock" ("id", "is_locked") values (@1, @2)
        -- ["migration_lock",0]

      exec sp_getapplock @DbPrincipal = 'dbo', @Resource = 'kysely_migration', @LockMode = 'Exclusive', @LockOwner = 'Session'

      begin transaction

      select "name", "timestamp" from "jobs"."app_durably_migrations"

      create table "jobs"."app_durably_runs" ( id char(36) primary key, job_name nvarchar(255) collate Latin1_General_100_BIN2 not null, queue nvarchar(255) collate Latin1_General_100_BIN2 not null, status nvarchar(255) collate Latin1_General_100_BIN2 not null check (status in ('pending','leased','waiting_retry','succeeded','failed','cancelled','skipped')), priority int not null, attempt int not null, max_attempts int not null, payload nvarchar(max) not null, metadata nvarchar(max) not null, run_at datetime2(6) not null, scheduled_for datetime2(6) not null, created_at datetime2(6) not null, started_at datetime2(6), finished_at datetime2(6), lease_owner nvarchar(255) collate Latin1_General_100_BIN2, lease_expires_at datetime2(6), cancel_requested_at datetime2(6), run_key nvarchar(255) collate Latin1_General_100_BIN2, origin nvarchar(255) collate Latin1_General_100_BIN2 not null, slot_at datetime2(6), last_error nvarchar(max), progress_percent float, progress_message nvarchar(max) )

      create index "app_durably_runs_claim_idx" on "jobs"."app_durably_runs" (priority desc, run_at, id) where status in ('pending','waiting_retry')

      create unique index "app_durably_runs_active_key_uq" on "jobs"."app_durably_runs" (job_name, run_key) where run_key is not null and status in ('pending','leased','waiting_retry')

      create unique index "app_durably_runs_slot_uq" on "jobs"."app_durably_runs" (job_name, slot_at) where slot_at is not null

      create index "app_durably_runs_lease_idx" on "jobs"."app_durably_runs" (lease_expires_at) where status = 'leased'

      create index "app_durably_runs_finished_idx" on "jobs"."app_durably_runs" (finished_at) where finished_at is not null

      create index "app_durably_runs_created_idx" on "jobs"."app_durably_runs" (created_at, id)

      create index "app_durably_runs_job_active_idx" on "jobs"."app_durably_runs" (job_name, status) where status in ('pending','leased','waiting_retry')

      create table "jobs"."app_durably_attempts" ( run_id char(36) not null, attempt int not null, worker_name nvarchar(255) collate Latin1_General_100_BIN2 not null, started_at datetime2(6) not null, finished_at datetime2(6) not null, outcome nvarchar(255) collate Latin1_General_100_BIN2 not null, error nvarchar(max), primary key (run_id, attempt) )

      create table "jobs"."app_durably_run_logs" ( id bigint identity(1, 1) primary key, run_id char(36) not null, attempt int not null, at datetime2(6) not null, level nvarchar(255) collate Latin1_General_100_BIN2 not null, message nvarchar(max) not null )

      create index "app_durably_run_logs_run_idx" on "jobs"."app_durably_run_logs" (run_id, id)

      create table "jobs"."app_durably_schedules" ( job_name nvarchar(255) collate Latin1_General_100_BIN2 primary key, cron nvarchar(max) not null, time_zone nvarchar(255) collate Latin1_General_100_BIN2 not null, enabled bit not null, allow_concurrent_runs bit not null, payload nvarchar(max) not null, next_run_at datetime2(6), last_slot_at datetime2(6), last_run_id char(36), last_error nvarchar(max), updated_by nvarchar(255) collate Latin1_General_100_BIN2 not null, created_at datetime2(6) not null, updated_at datetime2(6) not null )

      create table "jobs"."app_durably_workers" ( worker_name nvarchar(255) collate Latin1_General_100_BIN2 primary key, queues nvarchar(max), started_at datetime2(6) not null, last_seen_at datetime2(6) not null, active_runs int not null )

      insert into "jobs"."app_durably_migrations" ("name", "timestamp") values (@1, @2)
        -- ["0001_initial","<now>"]

      commit
      "
    `);
  });

  it('claim: one UPDATE through an ordered TOP CTE with UPDLOCK, READPAST, ROWLOCK and OUTPUT inserted.*', async () => {
    dialect.respond = (text) => (text.includes('output inserted.*') ? { rows: [runRow()] } : undefined);
    const claimed = await store.runClaim({
      workerName: 'w1',
      limit: 10,
      leaseDurationMs: 30_000,
      jobNames: ['email', 'report'],
      queues: ['default'],
    });
    expect(claimed.map((c) => c.run.runId)).toEqual([runId]);
    expect(dialect.take()).toMatchInlineSnapshot(`
      "
      with due as ( select top (@1) * from "jobs"."app_durably_runs" with (updlock, readpast, rowlock) where status in ('pending', 'waiting_retry') and run_at <= cast(@2 as datetime2(6)) and job_name in (@3, @4) and queue in (@5) order by priority desc, run_at, id ) update due set status = 'leased', lease_owner = @6, lease_expires_at = dateadd(millisecond, @7, cast(@8 as datetime2(6))), started_at = cast(@9 as datetime2(6)), attempt = attempt + 1, cancel_requested_at = null, progress_percent = null, progress_message = null output inserted.*
        -- [10,"2026-01-01T00:00:00.000","email","report","default","w1",30000,"2026-01-01T00:00:00.000","2026-01-01T00:00:00.000"]
      "
    `);
  });

  it("claim with the database clock and a lease longer than DATEADD's int of milliseconds", async () => {
    const dbClock = createSqlServerStoreOn({ db: new Kysely<AnyDb>({ dialect }) });
    await dbClock.runClaim({
      workerName: 'w1',
      limit: 5,
      leaseDurationMs: 30 * 86_400_000 + 1_500,
      jobNames: ['email'],
    });
    expect(await dbClock.clockNow().catch((error: Error) => error.message)).toBeDefined();
    expect(dialect.take()).toMatchInlineSnapshot(`
      "
      with due as ( select top (@1) * from "durably_runs" with (updlock, readpast, rowlock) where status in ('pending', 'waiting_retry') and run_at <= cast(sysutcdatetime() as datetime2(3)) and job_name in (@2) order by priority desc, run_at, id ) update due set status = 'leased', lease_owner = @3, lease_expires_at = dateadd(millisecond, @4, dateadd(day, @5, cast(sysutcdatetime() as datetime2(3)))), started_at = cast(sysutcdatetime() as datetime2(3)), attempt = attempt + 1, cancel_requested_at = null, progress_percent = null, progress_message = null output inserted.*
        -- [5,"email","w1",1500,30]

      select cast(sysutcdatetime() as datetime2(3)) as t
      "
    `);
  });

  it('enqueue: keyless runs in one multi-row INSERT; keyed runs one by one under UPDLOCK, HOLDLOCK', async () => {
    await store.runInsertMany({
      runs: [newRun(), newRun({ runAt: new Date('2026-01-02T03:04:05.678Z'), priority: 7 })],
    });
    dialect.respond = (text) =>
      text.startsWith('insert')
        ? { numAffectedRows: 0n }
        : text.includes('"run_key" =')
          ? { rows: [{ id: otherId, status: 'pending' }] }
          : undefined;
    const [result] = await store.runInsertMany({ runs: [newRun({ key: 'welcome:42' })] });
    expect(result).toEqual({ runId: otherId, outcome: 'existing' });
    expect(dialect.take()).toMatchInlineSnapshot(`
      "
      insert into "jobs"."app_durably_runs" ("id", "job_name", "queue", "status", "priority", "attempt", "max_attempts", "payload", "metadata", "run_at", "scheduled_for", "created_at", "finished_at", "run_key", "origin", "slot_at") values (@1, @2, @3, @4, @5, @6, @7, @8, @9, cast(@10 as datetime2(6)), cast(@11 as datetime2(6)), cast(@12 as datetime2(6)), @13, @14, @15, @16), (@17, @18, @19, @20, @21, @22, @23, @24, @25, cast(@26 as datetime2(6)), cast(@27 as datetime2(6)), cast(@28 as datetime2(6)), @29, @30, @31, @32)
        -- ["<uuid>","email","default","pending",0,0,3,"{\\"to\\":\\"a@example.com\\"}","{}","2026-01-01T00:00:00.000","2026-01-01T00:00:00.000","2026-01-01T00:00:00.000",null,null,"enqueue",null,"<uuid>","email","default","pending",7,0,3,"{\\"to\\":\\"a@example.com\\"}","{}","2026-01-02T03:04:05.678","2026-01-02T03:04:05.678","2026-01-01T00:00:00.000",null,null,"enqueue",null]

      begin transaction

      insert into "jobs"."app_durably_runs" ("id", "job_name", "queue", "status", "priority", "attempt", "max_attempts", "payload", "metadata", "run_at", "scheduled_for", "created_at", "finished_at", "run_key", "origin", "slot_at") select @1, @2, @3, @4, @5, @6, @7, @8, @9, cast(@10 as datetime2(6)), cast(@11 as datetime2(6)), cast(@12 as datetime2(6)), @13, @14, @15, @16 where not exists (select 1 from "jobs"."app_durably_runs" with (updlock, holdlock) where job_name = @17 and run_key = @18 and status in ('pending', 'leased', 'waiting_retry'))
        -- ["<uuid>","email","default","pending",0,0,3,"{\\"to\\":\\"a@example.com\\"}","{}","2026-01-01T00:00:00.000","2026-01-01T00:00:00.000","2026-01-01T00:00:00.000",null,"welcome:42","enqueue",null,"email","welcome:42"]

      select "id", "status" from "jobs"."app_durably_runs" where "job_name" = @1 and "run_key" = @2 and "status" in (@3, @4, @5)
        -- ["email","welcome:42","pending","leased","waiting_retry"]

      commit
      "
    `);
  });

  it('enqueue: a batch over 100 rows (2 100 parameters) is split into statements inside one transaction', async () => {
    await store.runInsertMany({ runs: Array.from({ length: 150 }, () => newRun()) });
    const statements = dialect.statements.splice(0).map((statement) => statement.split(' (')[0]);
    expect(statements).toEqual([
      'begin transaction',
      'insert into "jobs"."app_durably_runs"',
      'insert into "jobs"."app_durably_runs"',
      'commit',
    ]);
  });

  it("enqueue in the caller's transaction compiles without the store's plugin (keyed and keyless)", async () => {
    const callerDialect = new RecordingMssqlDialect();
    callerDialect.respond = (text) => (text.startsWith('insert') ? { numAffectedRows: 1n } : undefined);
    const app = new Kysely<AnyDb>({ dialect: callerDialect });
    await app
      .transaction()
      .execute((trx) => store.runInsertMany({ runs: [newRun(), newRun({ key: 'k' })], transaction: trx }));
    expect(dialect.statements).toEqual([]);
    expect(callerDialect.take()).toMatchInlineSnapshot(`
      "
      begin transaction

      insert into "jobs"."app_durably_runs" ("id", "job_name", "queue", "status", "priority", "attempt", "max_attempts", "payload", "metadata", "run_at", "scheduled_for", "created_at", "finished_at", "run_key", "origin", "slot_at") values (@1, @2, @3, @4, @5, @6, @7, @8, @9, cast(@10 as datetime2(6)), cast(@11 as datetime2(6)), cast(@12 as datetime2(6)), @13, @14, @15, @16)
        -- ["<uuid>","email","default","pending",0,0,3,"{\\"to\\":\\"a@example.com\\"}","{}","2026-01-01T00:00:00.000","2026-01-01T00:00:00.000","2026-01-01T00:00:00.000",null,null,"enqueue",null]

      insert into "jobs"."app_durably_runs" ("id", "job_name", "queue", "status", "priority", "attempt", "max_attempts", "payload", "metadata", "run_at", "scheduled_for", "created_at", "finished_at", "run_key", "origin", "slot_at") select @1, @2, @3, @4, @5, @6, @7, @8, @9, cast(@10 as datetime2(6)), cast(@11 as datetime2(6)), cast(@12 as datetime2(6)), @13, @14, @15, @16 where not exists (select 1 from "jobs"."app_durably_runs" with (updlock, holdlock) where job_name = @17 and run_key = @18 and status in ('pending', 'leased', 'waiting_retry'))
        -- ["<uuid>","email","default","pending",0,0,3,"{\\"to\\":\\"a@example.com\\"}","{}","2026-01-01T00:00:00.000","2026-01-01T00:00:00.000","2026-01-01T00:00:00.000",null,"k","enqueue",null,"email","k"]

      commit
      "
    `);
  });

  it('enqueue with replace updates the pending run in place', async () => {
    dialect.respond = (text) =>
      text.startsWith('insert')
        ? { numAffectedRows: 0n }
        : text.startsWith('update')
          ? { numAffectedRows: 1n }
          : text.includes('"run_key" =')
            ? { rows: [{ id: otherId, status: 'pending' }] }
            : undefined;
    const [result] = await store.runInsertMany({
      runs: [newRun({ key: 'k', keyConflict: 'replace', payloadJson: '2' })],
    });
    expect(result).toEqual({ runId: otherId, outcome: 'replaced' });
    expect(dialect.take()).toMatchInlineSnapshot(`
      "
      begin transaction

      insert into "jobs"."app_durably_runs" ("id", "job_name", "queue", "status", "priority", "attempt", "max_attempts", "payload", "metadata", "run_at", "scheduled_for", "created_at", "finished_at", "run_key", "origin", "slot_at") select @1, @2, @3, @4, @5, @6, @7, @8, @9, cast(@10 as datetime2(6)), cast(@11 as datetime2(6)), cast(@12 as datetime2(6)), @13, @14, @15, @16 where not exists (select 1 from "jobs"."app_durably_runs" with (updlock, holdlock) where job_name = @17 and run_key = @18 and status in ('pending', 'leased', 'waiting_retry'))
        -- ["<uuid>","email","default","pending",0,0,3,"2","{}","2026-01-01T00:00:00.000","2026-01-01T00:00:00.000","2026-01-01T00:00:00.000",null,"k","enqueue",null,"email","k"]

      select "id", "status" from "jobs"."app_durably_runs" where "job_name" = @1 and "run_key" = @2 and "status" in (@3, @4, @5)
        -- ["email","k","pending","leased","waiting_retry"]

      update "jobs"."app_durably_runs" set "payload" = @1, "metadata" = @2, "priority" = @3, "run_at" = cast(@4 as datetime2(6)), "scheduled_for" = cast(@5 as datetime2(6)) where "id" = @6 and "status" in (@7, @8)
        -- ["2","{}",0,"2026-01-01T00:00:00.000","2026-01-01T00:00:00.000","<uuid>","pending","waiting_retry"]

      commit
      "
    `);
  });

  it('finish: fenced UPDATE … OUTPUT per outcome, attempt records in one INSERT', async () => {
    // The success applies (its row comes back through OUTPUT); the zombie's retry is fenced out.
    dialect.respond = (text) =>
      text.startsWith('update') && !text.includes('case when')
        ? {
            rows: [
              {
                id: runId,
                status: 'succeeded',
                started_at: new Date('2026-01-01T00:00:00Z'),
                queue: 'default',
              },
            ],
          }
        : text.startsWith('select "id", "status"')
          ? { rows: [{ id: otherId, status: 'leased' }] }
          : undefined;
    const results = await store.runFinishMany({
      finishes: [
        { runId, workerName: 'w1', attempt: 1, outcome: { type: 'succeeded' } },
        {
          runId: otherId,
          workerName: 'zombie',
          attempt: 2,
          outcome: { type: 'retry', delayMs: 5_000, error: { name: 'Error', message: 'boom' } },
        },
      ],
    });
    expect(results).toEqual([
      { runId, applied: true, status: 'succeeded' },
      { runId: otherId, applied: false, status: 'leased' },
    ]);
    expect(dialect.take()).toMatchInlineSnapshot(`
      "
      begin transaction

      update "jobs"."app_durably_runs" set "lease_owner" = @1, "lease_expires_at" = @2, "status" = @3, "finished_at" = cast(@4 as datetime2(6)) output "inserted"."id", "inserted"."status", "inserted"."started_at", "inserted"."queue" where "status" = @5 and ("id" = @6 and "lease_owner" = @7 and "attempt" = @8)
        -- [null,null,"succeeded","2026-01-01T00:00:00.000","leased","<uuid>","w1",1]

      update "jobs"."app_durably_runs" set "lease_owner" = @1, "lease_expires_at" = @2, "status" = case when cancel_requested_at is null then @3 else 'cancelled' end, "finished_at" = case when cancel_requested_at is null then null else cast(@4 as datetime2(6)) end, "run_at" = dateadd(millisecond, @5, cast(@6 as datetime2(6))), "last_error" = @7 output "inserted"."id", "inserted"."status", "inserted"."started_at", "inserted"."queue" where "status" = @8 and ("id" = @9 and "lease_owner" = @10 and "attempt" = @11)
        -- [null,null,"waiting_retry","2026-01-01T00:00:00.000",5000,"2026-01-01T00:00:00.000","{\\"name\\":\\"Error\\",\\"message\\":\\"boom\\"}","leased","<uuid>","zombie",2]

      select "id", "status" from "jobs"."app_durably_runs" where "id" in (@1)
        -- ["<uuid>"]

      insert into "jobs"."app_durably_attempts" ("run_id", "attempt", "worker_name", "started_at", "finished_at", "outcome", "error") values (@1, @2, @3, cast(@4 as datetime2(6)), cast(@5 as datetime2(6)), @6, @7)
        -- ["<uuid>",1,"w1","2026-01-01T00:00:00.000","2026-01-01T00:00:00.000","succeeded",null]

      commit
      "
    `);
  });

  it('leases: extend in one fenced UPDATE … OUTPUT; reap with UPDLOCK, READPAST under TOP', async () => {
    await store.leaseExtend({
      workerName: 'w1',
      leaseDurationMs: 30_000,
      attempts: [
        { runId, attempt: 1 },
        { runId: otherId, attempt: 3 },
      ],
    });
    dialect.respond = (text) =>
      text.includes('with (updlock, readpast, rowlock)')
        ? {
            rows: [
              {
                id: runId,
                job_name: 'email',
                attempt: 1,
                max_attempts: 3,
                lease_owner: 'w1',
                started_at: new Date('2026-01-01T00:00:00Z'),
                cancel_requested_at: null,
              },
            ],
          }
        : undefined;
    const reaped = await store.leaseReapExpired({ limit: 20 });
    expect(reaped).toEqual([{ runId, jobName: 'email', attempt: 1, workerName: 'w1', status: 'pending' }]);
    expect(dialect.take()).toMatchInlineSnapshot(`
      "
      update "jobs"."app_durably_runs" set "lease_expires_at" = dateadd(millisecond, @1, cast(@2 as datetime2(6))) output "inserted"."id", "inserted"."attempt", "inserted"."cancel_requested_at", "inserted"."lease_expires_at" where "status" = @3 and "lease_owner" = @4 and (("id" = @5 and "attempt" = @6) or ("id" = @7 and "attempt" = @8))
        -- [30000,"2026-01-01T00:00:00.000","leased","w1","<uuid>",1,"<uuid>",3]

      select dateadd(millisecond, @1, cast(@2 as datetime2(6))) as t
        -- [30000,"2026-01-01T00:00:00.000"]

      begin transaction

      select top(20) "id", "job_name", "queue", "attempt", "max_attempts", "lease_owner", "started_at", "cancel_requested_at" from "jobs"."app_durably_runs" with (updlock, readpast, rowlock) where "status" = @1 and "lease_expires_at" <= cast(@2 as datetime2(6)) order by "lease_expires_at"
        -- ["leased","2026-01-01T00:00:00.000"]

      update "jobs"."app_durably_runs" set "status" = @1, "lease_owner" = @2, "lease_expires_at" = @3, "last_error" = @4, "run_at" = cast(@5 as datetime2(6)) where "id" in (@6) and "status" = @7
        -- ["pending",null,null,"{\\"name\\":\\"LeaseExpiredError\\",\\"message\\":\\"The worker stopped renewing the lease (crashed, stalled or lost its connection).\\"}","2026-01-01T00:00:00.000","<uuid>","leased"]

      insert into "jobs"."app_durably_attempts" ("run_id", "attempt", "worker_name", "started_at", "finished_at", "outcome", "error") values (@1, @2, @3, cast(@4 as datetime2(6)), cast(@5 as datetime2(6)), @6, @7)
        -- ["<uuid>",1,"w1","2026-01-01T00:00:00.000","2026-01-01T00:00:00.000","lease_expired","{\\"name\\":\\"LeaseExpiredError\\",\\"message\\":\\"The lease of worker \\\\\\"w1\\\\\\" expired: it stopped heartbeating (crashed, stalled or lost its connection).\\"}"]

      commit
      "
    `);
  });
});
