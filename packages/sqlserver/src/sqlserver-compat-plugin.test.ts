import type { AnyDb } from '@durably/sql';
import { Kysely, sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { SqlServerAdapter } from './sqlserver-adapter.js';
import { SqlServerCompatPlugin } from './sqlserver-compat-plugin.js';
import { RecordingMssqlDialect } from './test-support/recording-dialect.js';

const db = new Kysely<AnyDb>({
  dialect: new RecordingMssqlDialect(),
  plugins: [new SqlServerCompatPlugin()],
});

describe('SqlServerCompatPlugin', () => {
  it('writes LIMIT as TOP, and OFFSET … LIMIT as OFFSET … FETCH', () => {
    expect(db.selectFrom('runs').select('id').orderBy('id').limit(5).compile().sql).toBe(
      'select top(5) "id" from "runs" order by "id"',
    );
    expect(db.selectFrom('runs').select('id').orderBy('id').offset(10).limit(5).compile().sql).toBe(
      'select "id" from "runs" order by "id" offset @1 rows fetch next @2 rows only',
    );
  });

  it('writes FOR UPDATE [SKIP LOCKED] as table hints, also in subqueries', () => {
    const locked = db
      .selectFrom('runs')
      .select('id')
      .where('status', '=', 'x')
      .forUpdate()
      .skipLocked()
      .compile().sql;
    expect(locked).toBe('select "id" from "runs" with (updlock, readpast, rowlock) where "status" = @1');
    const nested = db
      .deleteFrom('runs')
      .where('id', 'in', db.selectFrom('runs').select('id').limit(3).forUpdate())
      .compile().sql;
    expect(nested).toBe(
      'delete from "runs" where "id" in (select top(3) "id" from "runs" with (updlock, rowlock))',
    );
  });

  it('writes RETURNING as OUTPUT inserted.…', () => {
    expect(
      db.updateTable('runs').set({ status: 'x' }).where('id', '=', '1').returning(['id', 'status']).compile()
        .sql,
    ).toBe('update "runs" set "status" = @1 output "inserted"."id", "inserted"."status" where "id" = @2');
    expect(db.insertInto('runs').values({ id: '1' }).returningAll().compile().sql).toBe(
      'insert into "runs" ("id") output "inserted".* values (@1)',
    );
  });

  it('refuses ON CONFLICT, which has no T-SQL form, naming the table', () => {
    expect(() =>
      db
        .insertInto('app.runs')
        .values({ id: '1' })
        .onConflict((c) => c.doNothing())
        .compile(),
    ).toThrow(/app\.runs/);
  });

  it('binds a Date as datetime2 text, never as the lossy datetime', () => {
    const query = db
      .updateTable('runs')
      .set({ started_at: new Date('2026-01-01T00:00:00.007Z') })
      .compile();
    expect(query.sql).toBe('update "runs" set "started_at" = cast(@1 as datetime2(6))');
    expect(query.parameters).toEqual(['2026-01-01T00:00:00.007']);
  });
});

describe('SqlServerAdapter time expressions', () => {
  const adapter = new SqlServerAdapter();
  it('splits long durations into days and milliseconds (DATEADD takes an int)', () => {
    const compiled = sql`select ${adapter.addMilliseconds(sql`x`, -(40 * 86_400_000 + 250))} as t`.compile(
      db,
    );
    expect(compiled.sql).toBe('select dateadd(millisecond, @1, dateadd(day, @2, x)) as t');
    expect(compiled.parameters).toEqual([-250, -40]);
  });

  it('reads datetime2 values as UTC', () => {
    expect(adapter.readTime(new Date('2026-01-01T00:00:00.123Z')).toISOString()).toBe(
      '2026-01-01T00:00:00.123Z',
    );
    expect(adapter.readTime('2026-01-01 00:00:00.123').toISOString()).toBe('2026-01-01T00:00:00.123Z');
  });
});
