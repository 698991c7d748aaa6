import {
  SqlDialectAdapter,
  type ClaimParams,
  type ClaimedRunRow,
  type ColumnKind,
  type SqlContext,
} from '@durably/sql';
import { parsePayloadJson, type PayloadMatch } from '@durably/core';
import { sql, type Expression, type RawBuilder, type SqlBool } from 'kysely';
import { sqlitePayloadMatch } from './sqlite-payload-match.js';
import { claimSqliteRuns } from './sqlite-claim.js';
import { isSqliteTransientError, isSqliteUniqueViolation } from './sqlite-errors.js';
import { sqliteColumnTypes, sqliteSerialPrimaryKey } from './sqlite-migrations.js';

/** SQLite (better-sqlite3, SQLite ≥ 3.42): `RETURNING`, partial indexes, `BEGIN IMMEDIATE` writes. */
export class SqliteAdapter extends SqlDialectAdapter {
  readonly provider = 'sqlite';

  override get supportsReturning(): boolean {
    return true;
  }
  override get supportsOnConflict(): boolean {
    return true;
  }
  override get supportsPartialIndexes(): boolean {
    return true;
  }
  override get writesNeedTransaction(): boolean {
    return true;
  }
  /** SQLite binds at most 32 766 parameters; runs use 16 per row. */
  override get maxRowsPerStatement(): number {
    return 1000;
  }

  columnType(kind: ColumnKind): string {
    return sqliteColumnTypes[kind];
  }
  serialPrimaryKey(name: string): string {
    return sqliteSerialPrimaryKey(name);
  }
  /** Milliseconds since the epoch; `'now'` is fixed for the duration of one statement. */
  nowExpression(): RawBuilder<unknown> {
    return sql`cast(unixepoch('subsec') * 1000 as integer)`;
  }
  timeValue(time: Date): RawBuilder<unknown> {
    return sql`${time.getTime()}`;
  }
  addMilliseconds(time: Expression<unknown>, ms: number): RawBuilder<unknown> {
    return sql`(${time} + ${Math.round(ms)})`;
  }
  readTime(value: unknown): Date {
    return new Date(Number(value));
  }
  jsonValue(json: string): RawBuilder<unknown> {
    return sql`${json}`;
  }
  readJson(value: unknown): unknown {
    return parsePayloadJson(String(value));
  }
  /** `runList`'s `payloadMatch`, compiled for this database (see `sqlitePayloadMatch`). */
  override payloadMatchPredicate(column: Expression<unknown>, match: PayloadMatch): RawBuilder<SqlBool> {
    return sqlitePayloadMatch(column, match);
  }
  override boolValue(value: boolean): unknown {
    return value ? 1 : 0;
  }
  isTransientError(error: unknown): boolean {
    return isSqliteTransientError(error);
  }
  isUniqueViolation(error: unknown): boolean {
    return isSqliteUniqueViolation(error);
  }
  override claimRuns(ctx: SqlContext, params: ClaimParams): Promise<ClaimedRunRow[]> {
    return claimSqliteRuns(ctx, params);
  }
}
