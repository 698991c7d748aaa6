/**
 * The SQL Server provider's statements, compiled by Kysely's real MssqlDialect compiler through the
 * store's real code paths, compared with reviewed T-SQL. No server runs here (none can on our
 * machines): these tests catch a regression in the generated SQL, not a server-side error. Review a
 * changed snapshot as you would a migration before accepting it (`vitest -u`).
 */
import type { DurablyStore } from '@durably/core';
import { beforeEach, describe, expect, it } from 'vitest';
import type { RecordingMssqlDialect } from './test-support/recording-dialect.js';
import { createStatementStore, newRun, otherId, runId, runRow, scheduleRow } from './test-support/statement-fixtures.js';

describe('sqlserver statements: cancel, retention, logs, queries, schedules, workers (MssqlDialect, no server)', () => {
  let dialect: RecordingMssqlDialect;
  let store: DurablyStore;

  beforeEach(() => {
    ({ dialect, store } = createStatementStore());
  });

  it('cancel, cancel-many, retry, delete, retention', async () => {
    await store.runCancel({ runId });
    await store.runCancelMany({ jobName: 'email' });
    dialect.respond = (text) =>
      text.startsWith('select *')
        ? {
            rows: [
              runRow({ status: 'failed', lease_owner: null, finished_at: new Date('2026-01-01T00:01:00Z') }),
            ],
          }
        : undefined;
    await store.runRetry({ runId });
    dialect.respond = (text) =>
      text.startsWith('select top')
        ? { rows: [{ id: runId }] }
        : text.startsWith('delete')
          ? { numAffectedRows: 1n }
          : undefined;
    expect(await store.runDeleteFinished({ olderThanMs: 86_400_000, limit: 500 })).toBe(1);
    await store.runDelete({ runId });
    expect(dialect.take()).toMatchInlineSnapshot(`
      "
      begin transaction

      update "jobs"."app_durably_runs" set "status" = @1, "finished_at" = cast(@2 as datetime2(6)), "lease_owner" = @3, "lease_expires_at" = @4 where "id" = @5 and "status" in (@6, @7)
        -- ["cancelled","2026-01-01T00:00:00.000",null,null,"<uuid>","pending","waiting_retry"]

      update "jobs"."app_durably_runs" set "cancel_requested_at" = cast(@1 as datetime2(6)) where "id" = @2 and "status" = @3 and "cancel_requested_at" is null
        -- ["2026-01-01T00:00:00.000","<uuid>","leased"]

      select * from "jobs"."app_durably_runs" where "id" = @1
        -- ["<uuid>"]

      commit

      begin transaction

      update "jobs"."app_durably_runs" set "status" = @1, "finished_at" = cast(@2 as datetime2(6)) where "job_name" = @3 and "status" in (@4, @5)
        -- ["cancelled","2026-01-01T00:00:00.000","email","pending","waiting_retry"]

      update "jobs"."app_durably_runs" set "cancel_requested_at" = cast(@1 as datetime2(6)) where "job_name" = @2 and "status" = @3 and "cancel_requested_at" is null
        -- ["2026-01-01T00:00:00.000","email","leased"]

      commit

      begin transaction

      select * from "jobs"."app_durably_runs" where "id" = @1
        -- ["<uuid>"]

      update "jobs"."app_durably_runs" set "status" = @1, "run_at" = cast(@2 as datetime2(6)), "max_attempts" = @3, "finished_at" = @4, "lease_owner" = @5, "lease_expires_at" = @6, "cancel_requested_at" = @7 where "id" = @8 and "status" in (@9, @10, @11, @12)
        -- ["pending","2026-01-01T00:00:00.000",3,null,null,null,null,"<uuid>","succeeded","failed","cancelled","skipped"]

      select * from "jobs"."app_durably_runs" where "id" = @1
        -- ["<uuid>"]

      commit

      begin transaction

      select top(500) "id" from "jobs"."app_durably_runs" where "finished_at" is not null and "finished_at" < dateadd(millisecond, @1, dateadd(day, @2, cast(@3 as datetime2(6)))) and "status" in (@4, @5, @6, @7) order by "finished_at"
        -- [0,-1,"2026-01-01T00:00:00.000","succeeded","failed","cancelled","skipped"]

      delete from "jobs"."app_durably_runs" where "id" in (@1) and "status" in (@2, @3, @4, @5) and "finished_at" < dateadd(millisecond, @6, dateadd(day, @7, cast(@8 as datetime2(6))))
        -- ["<uuid>","succeeded","failed","cancelled","skipped",0,-1,"2026-01-01T00:00:00.000"]

      delete from "jobs"."app_durably_attempts" where "run_id" in (@1) and not exists (select "r"."id" from "jobs"."app_durably_runs" as "r" where "r"."id" = "jobs"."app_durably_attempts"."run_id")
        -- ["<uuid>"]

      delete from "jobs"."app_durably_run_logs" where "run_id" in (@1) and not exists (select "r"."id" from "jobs"."app_durably_runs" as "r" where "r"."id" = "jobs"."app_durably_run_logs"."run_id")
        -- ["<uuid>"]

      commit

      begin transaction

      delete from "jobs"."app_durably_runs" where "id" = @1
        -- ["<uuid>"]

      delete from "jobs"."app_durably_attempts" where "run_id" in (@1) and not exists (select "r"."id" from "jobs"."app_durably_runs" as "r" where "r"."id" = "jobs"."app_durably_attempts"."run_id")
        -- ["<uuid>"]

      delete from "jobs"."app_durably_run_logs" where "run_id" in (@1) and not exists (select "r"."id" from "jobs"."app_durably_runs" as "r" where "r"."id" = "jobs"."app_durably_run_logs"."run_id")
        -- ["<uuid>"]

      commit
      "
    `);
  });

  it('progress and logs: fenced updates, one multi-row INSERT, trimming with OFFSET … FETCH', async () => {
    await store.runProgressSet({
      updates: [{ runId, workerName: 'w1', attempt: 1, percent: 50, message: 'half' }],
    });
    dialect.respond = (text) =>
      text.startsWith('select "id", "lease_owner"')
        ? { rows: [{ id: runId, lease_owner: 'w1', attempt: 1 }] }
        : text.includes('fetch next')
          ? { rows: [{ id: 42 }] }
          : undefined;
    await store.runLogAppend({
      maxLinesPerRun: 1_000,
      lines: [
        {
          runId,
          workerName: 'w1',
          attempt: 1,
          at: new Date('2026-01-01T00:00:01Z'),
          level: 'info',
          message: 'one',
        },
        {
          runId,
          workerName: 'w1',
          attempt: 1,
          at: new Date('2026-01-01T00:00:02Z'),
          level: 'warn',
          message: 'two',
        },
      ],
    });
    expect(dialect.take()).toMatchInlineSnapshot(`
      "
      begin transaction

      update "jobs"."app_durably_runs" set "progress_percent" = @1, "progress_message" = @2 where "id" = @3 and "lease_owner" = @4 and "attempt" = @5 and "status" = @6
        -- [50,"half","<uuid>","w1",1,"leased"]

      commit

      begin transaction

      select "id", "lease_owner", "attempt" from "jobs"."app_durably_runs" where "id" in (@1) and "status" = @2
        -- ["<uuid>","leased"]

      insert into "jobs"."app_durably_run_logs" ("run_id", "attempt", "at", "level", "message") values (@1, @2, cast(@3 as datetime2(6)), @4, @5), (@6, @7, cast(@8 as datetime2(6)), @9, @10)
        -- ["<uuid>",1,"2026-01-01T00:00:01.000","info","one","<uuid>",1,"2026-01-01T00:00:02.000","warn","two"]

      select "id" from "jobs"."app_durably_run_logs" where "run_id" = @1 order by "id" desc offset @2 rows fetch next @3 rows only
        -- ["<uuid>",999,1]

      delete from "jobs"."app_durably_run_logs" where "run_id" = @1 and "id" < @2
        -- ["<uuid>",42]

      commit
      "
    `);
  });

  it('queries: get, list with cursor, counts, attempts, logs', async () => {
    await store.runGet({ runId });
    dialect.respond = (text) =>
      text.startsWith('select top') ? { rows: [runRow(), runRow({ id: otherId })] } : undefined;
    const page = await store.runList({
      limit: 1,
      statuses: ['pending', 'leased'],
      jobName: 'email',
      createdAfter: new Date('2025-12-01T00:00:00Z'),
    });
    dialect.respond = () => undefined;
    await store.runList({ limit: 1, cursor: page.nextCursor!, order: 'due' });
    await store.runCountByStatus({ queue: 'default' });
    await store.attemptList({ runId });
    await store.runLogList({ runId, limit: 100 });
    expect(dialect.take()).toMatchInlineSnapshot(`
      "
      select * from "jobs"."app_durably_runs" where "id" = @1
        -- ["<uuid>"]

      select top(2) * from "jobs"."app_durably_runs" where "status" in (@1, @2) and "job_name" = @3 and "created_at" >= cast(@4 as datetime2(6)) order by "created_at" desc, "id" desc
        -- ["pending","leased","email","2025-12-01T00:00:00.000"]

      select top(2) * from "jobs"."app_durably_runs" where ("run_at" > cast(@1 as datetime2(6)) or ("run_at" = cast(@2 as datetime2(6)) and "id" > @3)) order by "run_at" asc, "id" asc
        -- ["2026-01-01T00:00:00.000","2026-01-01T00:00:00.000","<uuid>"]

      select "status", count(*) as "count" from "jobs"."app_durably_runs" where "queue" = @1 group by "status"
        -- ["default"]

      select * from "jobs"."app_durably_attempts" where "run_id" = @1 order by "attempt"
        -- ["<uuid>"]

      select top(100) * from "jobs"."app_durably_run_logs" where "run_id" = @1 order by "id" desc
        -- ["<uuid>"]
      "
    `);
  });

  it('schedules: insert ignoring a duplicate, update, list, due, materialize', async () => {
    await store.scheduleInsert({
      schedule: {
        jobName: 'nightly',
        cron: '0 3 * * *',
        timeZone: 'Europe/Berlin',
        enabled: true,
        allowConcurrentRuns: false,
        payloadJson: '{}',
        nextRunAt: new Date('2026-01-01T02:00:00Z'),
        updatedBy: 'code',
      },
    });
    await store.scheduleUpdate({ jobName: 'nightly', enabled: false, nextRunAt: null, updatedBy: 'admin' });
    await store.scheduleGet({ jobName: 'nightly' });
    await store.scheduleList({ includeDisabled: false });
    await store.scheduleDelete({ jobName: 'gone' });
    await store.scheduleListDue({ limit: 10, jobNames: ['nightly'] });
    dialect.respond = (text) =>
      text.startsWith('update') || text.startsWith('insert')
        ? { numAffectedRows: 1n }
        : text.startsWith('select *')
          ? { rows: [scheduleRow] }
          : undefined;
    const slotAt = new Date('2026-01-01T02:00:00Z');
    const result = await store.scheduleMaterialize({
      jobName: 'nightly',
      expectedNextRunAt: slotAt,
      slotAt,
      nextRunAt: new Date('2026-01-02T02:00:00Z'),
      run: newRun({ jobName: 'nightly', origin: 'schedule', runAt: slotAt }),
    });
    expect(result?.status).toBe('pending');
    expect(dialect.take()).toMatchInlineSnapshot(`
      "
      insert into "jobs"."app_durably_schedules" ("job_name", "cron", "time_zone", "enabled", "allow_concurrent_runs", "payload", "next_run_at", "updated_by", "created_at", "updated_at") values (@1, @2, @3, @4, @5, @6, cast(@7 as datetime2(6)), @8, cast(@9 as datetime2(6)), cast(@10 as datetime2(6)))
        -- ["nightly","0 3 * * *","Europe/Berlin",1,0,"{}","2026-01-01T02:00:00.000","code","2026-01-01T00:00:00.000","2026-01-01T00:00:00.000"]

      begin transaction

      update "jobs"."app_durably_schedules" set "updated_by" = @1, "updated_at" = cast(@2 as datetime2(6)), "enabled" = @3, "next_run_at" = @4 where "job_name" = @5
        -- ["admin","2026-01-01T00:00:00.000",0,null,"nightly"]

      commit

      select * from "jobs"."app_durably_schedules" where "job_name" = @1
        -- ["nightly"]

      select * from "jobs"."app_durably_schedules" where "enabled" = @1 order by "job_name"
        -- [1]

      delete from "jobs"."app_durably_schedules" where "job_name" = @1
        -- ["gone"]

      select top(10) * from "jobs"."app_durably_schedules" where "enabled" = @1 and "next_run_at" is not null and "next_run_at" <= cast(@2 as datetime2(6)) and "job_name" in (@3) order by "next_run_at"
        -- [1,"2026-01-01T00:00:00.000","nightly"]

      begin transaction

      update "jobs"."app_durably_schedules" set "next_run_at" = cast(@1 as datetime2(6)), "last_slot_at" = cast(@2 as datetime2(6)), "updated_at" = cast(@3 as datetime2(6)) where "job_name" = @4 and "enabled" = @5 and "next_run_at" = cast(@6 as datetime2(6))
        -- ["2026-01-02T02:00:00.000","2026-01-01T02:00:00.000","2026-01-01T00:00:00.000","nightly",1,"2026-01-01T02:00:00.000"]

      select * from "jobs"."app_durably_schedules" where "job_name" = @1
        -- ["nightly"]

      insert into "jobs"."app_durably_runs" ("id", "job_name", "queue", "status", "priority", "attempt", "max_attempts", "payload", "metadata", "run_at", "scheduled_for", "created_at", "finished_at", "run_key", "origin", "slot_at") select @1, @2, @3, @4, @5, @6, @7, @8, @9, cast(@10 as datetime2(6)), cast(@11 as datetime2(6)), cast(@12 as datetime2(6)), @13, @14, @15, cast(@16 as datetime2(6)) where not exists (select 1 from "jobs"."app_durably_runs" with (updlock, holdlock) where job_name = @17 and slot_at = cast(@18 as datetime2(6)))
        -- ["<uuid>","nightly","default","pending",0,0,3,"{\\"to\\":\\"a@example.com\\"}","{}","2026-01-01T02:00:00.000","2026-01-01T02:00:00.000","2026-01-01T00:00:00.000",null,null,"schedule","2026-01-01T02:00:00.000","nightly","2026-01-01T02:00:00.000"]

      update "jobs"."app_durably_schedules" set "last_run_id" = @1 where "job_name" = @2
        -- ["<uuid>","nightly"]

      commit
      "
    `);
  });

  it('workers: beat (update, else insert ignoring a duplicate), list, remove', async () => {
    await store.workerBeat({
      worker: {
        workerName: 'host-1',
        queues: ['default'],
        startedAt: new Date('2026-01-01T00:00:00Z'),
        activeRuns: 2,
      },
    });
    await store.workerList({ seenWithinMs: 60_000 });
    await store.workerRemove({ workerName: 'host-1' });
    expect(dialect.take()).toMatchInlineSnapshot(`
      "
      begin transaction

      update "jobs"."app_durably_workers" set "queues" = @1, "started_at" = cast(@2 as datetime2(6)), "last_seen_at" = cast(@3 as datetime2(6)), "active_runs" = @4 where "worker_name" = @5
        -- ["[\\"default\\"]","2026-01-01T00:00:00.000","2026-01-01T00:00:00.000",2,"host-1"]

      insert into "jobs"."app_durably_workers" ("worker_name", "queues", "started_at", "last_seen_at", "active_runs") values (@1, @2, cast(@3 as datetime2(6)), cast(@4 as datetime2(6)), @5)
        -- ["host-1","[\\"default\\"]","2026-01-01T00:00:00.000","2026-01-01T00:00:00.000",2]

      commit

      select * from "jobs"."app_durably_workers" where "last_seen_at" >= dateadd(millisecond, @1, cast(@2 as datetime2(6))) order by "worker_name"
        -- [-60000,"2026-01-01T00:00:00.000"]

      delete from "jobs"."app_durably_workers" where "worker_name" = @1
        -- ["host-1"]
      "
    `);
  });
});
