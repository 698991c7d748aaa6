import {
  SqlDialectAdapter,
  type ClaimParams,
  type ClaimedRunRow,
  type ColumnKind,
  type IndexSpec,
  type RunInsertRow,
  type SqlContext,
  type SqlExecutor,
} from '@durably/sql';
import { parsePayloadJson, type PayloadMatch } from '@durably/core';
import { sql, type Expression, type RawBuilder, type SqlBool } from 'kysely';
import { sqlServerPayloadMatch } from './sqlserver-payload-match.js';
import { claimSqlServerRuns } from './sqlserver-claim.js';
import {
  isSqlServerLockConflict,
  isSqlServerTransientError,
  isSqlServerUniqueViolation,
} from './sqlserver-errors.js';
import { insertSqlServerRuns } from './sqlserver-insert.js';
import {
  createSqlServerIndex,
  createSqlServerSchema,
  sqlServerColumnTypes,
  sqlServerSerialPrimaryKey,
} from './sqlserver-migrations.js';

const msPerDay = 86_400_000;

/**
 * SQL Server 2016+ / Azure SQL (tedious): `OUTPUT` (declared as `supportsReturning`; the compat
 * plugin writes `RETURNING` as `OUTPUT inserted.…`), `UPDLOCK, READPAST` (declared as
 * `supportsSkipLocked`), filtered indexes. Times are `datetime2(6)` holding UTC; "now" is
 * `SYSUTCDATETIME()` at millisecond precision.
 */
export class SqlServerAdapter extends SqlDialectAdapter {
  readonly provider = 'sqlserver';

  override get supportsReturning(): boolean {
    return true;
  }
  override get supportsSkipLocked(): boolean {
    return true;
  }
  override get supportsPartialIndexes(): boolean {
    return true;
  }
  /** 2 100 bound parameters per request at most; a run row binds up to 13, a log line 5. */
  override get maxRowsPerStatement(): number {
    return 100;
  }

  columnType(kind: ColumnKind): string {
    return sqlServerColumnTypes[kind];
  }
  serialPrimaryKey(name: string): string {
    return sqlServerSerialPrimaryKey(name);
  }
  nowExpression(): RawBuilder<unknown> {
    return sql`cast(sysutcdatetime() as datetime2(3))`;
  }
  /**
   * Bound as ISO 8601 text and cast: tedious would bind a `Date` as `datetime`, which rounds to
   * 1/300 s, so a time written and read back would no longer compare equal.
   */
  timeValue(time: Date): RawBuilder<unknown> {
    return sql`cast(${time.toISOString().slice(0, 23)} as datetime2(6))`;
  }
  /** `DATEADD` takes an `int`: whole days and the rest in ms, so 30 days (2.6e9 ms) cannot overflow. */
  addMilliseconds(time: Expression<unknown>, ms: number): RawBuilder<unknown> {
    const rounded = Math.round(ms);
    const days = Math.trunc(rounded / msPerDay);
    const rest = rounded - days * msPerDay;
    const base = days === 0 ? sql`${time}` : sql`dateadd(day, ${days}, ${time})`;
    return sql`dateadd(millisecond, ${rest}, ${base})`;
  }
  readTime(value: unknown): Date {
    if (value instanceof Date) return value;
    const text = String(value);
    return new Date(/[zZ]|[+-]\d\d:\d\d$/.test(text) ? text : `${text.replace(' ', 'T')}Z`);
  }
  jsonValue(json: string): RawBuilder<unknown> {
    return sql`${json}`;
  }
  readJson(value: unknown): unknown {
    return typeof value === 'string' ? parsePayloadJson(value) : value;
  }
  /** `runList`'s `payloadMatch`, compiled for this database (see `sqlServerPayloadMatch`). */
  override payloadMatchPredicate(column: Expression<unknown>, match: PayloadMatch): RawBuilder<SqlBool> {
    return sqlServerPayloadMatch(column, match);
  }
  override boolValue(value: boolean): unknown {
    return value ? 1 : 0;
  }
  isTransientError(error: unknown): boolean {
    return isSqlServerTransientError(error);
  }
  /**
   * `insertIgnoringDuplicates` (no `supportsOnConflict`) relies on this: with `XACT_ABORT OFF`
   * (tedious's default) a duplicate key ends only the statement, never the surrounding transaction.
   */
  isUniqueViolation(error: unknown): boolean {
    return isSqlServerUniqueViolation(error);
  }
  /** Deadlock victim (1205) or lock request timeout (1222): the store's transaction runs again. */
  override isLockConflict(error: unknown): boolean {
    return isSqlServerLockConflict(error);
  }

  override beforeMigrate(db: SqlExecutor, ctx: SqlContext): Promise<void> {
    return createSqlServerSchema(db, ctx);
  }
  override createIndex(db: SqlExecutor, spec: IndexSpec): Promise<void> {
    return createSqlServerIndex(db, spec);
  }
  override claimRuns(ctx: SqlContext, params: ClaimParams): Promise<ClaimedRunRow[]> {
    return claimSqlServerRuns(ctx, params);
  }
  override insertRunRows(
    ctx: SqlContext,
    executor: SqlExecutor,
    rows: readonly RunInsertRow[],
  ): Promise<Set<string>> {
    return insertSqlServerRuns(ctx, executor, rows);
  }
}
