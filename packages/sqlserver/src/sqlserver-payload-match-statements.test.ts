/**
 * The SQL Server statements of `runList`'s `payloadMatch`, compiled by Kysely's real MssqlDialect
 * compiler through the store's code, compared with reviewed T-SQL (no server runs here). The
 * snapshots show that paths and values are bound parameters, never part of the SQL text.
 */
import { createFakeClock, InvalidArgumentError, type DurablyStore } from '@durably/core';
import type { AnyDb } from '@durably/sql';
import { Kysely } from 'kysely';
import { beforeEach, describe, expect, it } from 'vitest';
import { createSqlServerStoreOn } from './sqlserver-store.js';
import { RecordingMssqlDialect } from './test-support/recording-dialect.js';

describe('sqlserver statements: payload search (MssqlDialect, no server)', () => {
  let dialect: RecordingMssqlDialect;
  let store: DurablyStore;

  beforeEach(() => {
    dialect = new RecordingMssqlDialect();
    store = createSqlServerStoreOn({
      db: new Kysely<AnyDb>({ dialect }),
      tablePrefix: 'app_',
      schema: 'jobs',
      clock: createFakeClock('2026-01-01T00:00:00Z'),
    });
  });

  it('compiles a key path with a string, and an index path with a number, boolean and null', async () => {
    await store.runList({
      limit: 10,
      jobName: 'email',
      payloadMatch: { path: ['user', `id") or ('1'='1`], value: 'U1' },
    });
    await store.runList({ limit: 10, payloadMatch: { path: ['items', 0], value: 1.5 } });
    await store.runList({ limit: 10, payloadMatch: { path: ['flag'], value: true } });
    await store.runList({ limit: 10, payloadMatch: { path: [0, 'gone'], value: null } });
    expect(dialect.take()).toMatchInlineSnapshot(`
      "
      select top(11) * from "jobs"."app_durably_runs" where exists (select 1 from openjson("payload", @1) as [item] where [item].[key] = @2 and [item].[type] = @3 and left(json_query("payload", @4), 1) = @5 and [item].[value] = @6 collate Latin1_General_BIN2) and "job_name" = @7 order by "created_at" desc, "id" desc
        -- ["$.\\"user\\"","id\\") or ('1'='1",1,"$.\\"user\\"","{","U1","email"]

      select top(11) * from "jobs"."app_durably_runs" where exists (select 1 from openjson("payload", @1) as [item] where [item].[key] = @2 and [item].[type] = @3 and left(json_query("payload", @4), 1) = @5 and try_cast([item].[value] as float) = @6) order by "created_at" desc, "id" desc
        -- ["$.\\"items\\"","0",2,"$.\\"items\\"","[",1.5]

      select top(11) * from "jobs"."app_durably_runs" where exists (select 1 from openjson("payload", @1) as [item] where [item].[key] = @2 and [item].[type] = @3 and left(json_query("payload", @4), 1) = @5 and [item].[value] = @6) order by "created_at" desc, "id" desc
        -- ["$","flag",3,"$","{","true"]

      select top(11) * from "jobs"."app_durably_runs" where exists (select 1 from openjson("payload", @1) as [item] where [item].[key] = @2 and [item].[type] = @3 and left(json_query("payload", @4), 1) = @5) order by "created_at" desc, "id" desc
        -- ["$[0]","gone",0,"$[0]","{"]
      "
    `);
  });

  it('rejects an invalid path before anything reaches the database', async () => {
    await expect(
      store.runList({ limit: 10, payloadMatch: { path: [-1], value: 'x' } }),
    ).rejects.toBeInstanceOf(InvalidArgumentError);
    expect(dialect.take()).toBe('\n\n');
  });
});
