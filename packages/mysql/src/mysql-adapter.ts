import {
  SqlDialectAdapter,
  type ClaimParams,
  type ClaimedRunRow,
  type ColumnKind,
  type FinishPlan,
  type FinishRowResult,
  type IndexSpec,
  type RunInsertRow,
  type SqlContext,
  type SqlExecutor,
} from '@durably/sql';
import { parsePayloadJson, type PayloadMatch } from '@durably/core';
import { sql, type Expression, type RawBuilder, type SqlBool } from 'kysely';
import { mySqlPayloadMatch } from './mysql-payload-match.js';
import { claimMySqlRuns } from './mysql-claim.js';
import { isMySqlLockConflict, isMySqlTransientError, isMySqlUniqueViolation } from './mysql-errors.js';
import { finishMySqlRuns } from './mysql-finish.js';
import { isMySqlConnection, runInMySqlConnectionTransaction } from './mysql-native-transaction.js';
import { insertMySqlRuns } from './mysql-insert.js';
import {
  createMySqlIndex,
  detectMySqlFlavor,
  mySqlAfterMigration,
  mySqlColumnType,
  mySqlSerialPrimaryKey,
  type MySqlFlavor,
} from './mysql-migrations.js';

/**
 * MySQL 8 / MariaDB 10.6+ (InnoDB): `FOR UPDATE SKIP LOCKED`, no `RETURNING`, no partial indexes.
 * Times are `datetime(6)` holding UTC; "now" is `UTC_TIMESTAMP(3)` (millisecond precision, like a
 * JS `Date`, and independent of the session time zone).
 */
export class MySqlAdapter extends SqlDialectAdapter {
  readonly provider = 'mysql';
  /** Set by `beforeMigrate`; only the migrations' DDL depends on it. */
  #flavor: MySqlFlavor = 'mariadb';

  override get supportsSkipLocked(): boolean {
    return true;
  }

  columnType(kind: ColumnKind): string {
    return mySqlColumnType(kind, this.#flavor);
  }
  serialPrimaryKey(name: string): string {
    return mySqlSerialPrimaryKey(name);
  }
  /** UTC at millisecond precision; constant within one statement. */
  nowExpression(): RawBuilder<unknown> {
    return sql`utc_timestamp(3)`;
  }
  /** Bound as UTC text (`2026-01-01 00:00:00.000`), so the pool's `timezone` option never applies. */
  timeValue(time: Date): RawBuilder<unknown> {
    return sql`cast(${formatMySqlTime(time)} as datetime(6))`;
  }
  addMilliseconds(time: Expression<unknown>, ms: number): RawBuilder<unknown> {
    return sql`date_add(${time}, interval ${Math.round(ms) * 1000} microsecond)`;
  }
  readTime(value: unknown): Date {
    return parseMySqlTime(value);
  }
  jsonValue(json: string): RawBuilder<unknown> {
    return sql`${json}`;
  }
  readJson(value: unknown): unknown {
    return typeof value === 'string' ? parsePayloadJson(value) : value;
  }
  /** `runList`'s `payloadMatch`, compiled for this database (see `mySqlPayloadMatch`). */
  override payloadMatchPredicate(column: Expression<unknown>, match: PayloadMatch): RawBuilder<SqlBool> {
    return mySqlPayloadMatch(column, match);
  }
  override boolValue(value: boolean): unknown {
    return value ? 1 : 0;
  }
  isTransientError(error: unknown): boolean {
    return isMySqlTransientError(error);
  }
  /**
   * `insertIgnoringDuplicates` (no `supportsOnConflict`) relies on this: InnoDB rolls back only the
   * statement that hit the duplicate key, never the surrounding transaction.
   */
  isUniqueViolation(error: unknown): boolean {
    return isMySqlUniqueViolation(error);
  }
  /** Deadlock victim (1213) or lock wait timeout (1205): the store's transaction runs again (≤ 5 times). */
  override isLockConflict(error: unknown): boolean {
    return isMySqlLockConflict(error);
  }

  /** Accepts the caller's own mysql2 connection (inside its own transaction) as a transaction. */
  override runInNativeTransaction<T>(
    transaction: unknown,
    work: (transaction: SqlExecutor) => Promise<T>,
  ): Promise<T> | undefined {
    return isMySqlConnection(transaction) ? runInMySqlConnectionTransaction(transaction, work) : undefined;
  }
  override async beforeMigrate(db: SqlExecutor): Promise<void> {
    this.#flavor = await detectMySqlFlavor(db);
  }
  override async afterMigration(db: SqlExecutor, ctx: SqlContext, migrationId: string): Promise<void> {
    await mySqlAfterMigration(db, ctx, migrationId);
  }
  override createIndex(db: SqlExecutor, spec: IndexSpec): Promise<void> {
    return createMySqlIndex(db, spec, this.#flavor);
  }
  override claimRuns(ctx: SqlContext, params: ClaimParams): Promise<ClaimedRunRow[]> {
    return claimMySqlRuns(ctx, params);
  }
  override insertRunRows(
    ctx: SqlContext,
    executor: SqlExecutor,
    rows: readonly RunInsertRow[],
  ): Promise<Set<string>> {
    return insertMySqlRuns(ctx, executor, rows);
  }
  override finishRuns(ctx: SqlContext, plans: readonly FinishPlan[]): Promise<FinishRowResult[]> {
    return finishMySqlRuns(ctx, plans);
  }
}

/** `YYYY-MM-DD HH:MM:SS.mmm` in UTC. */
export function formatMySqlTime(time: Date): string {
  return time.toISOString().slice(0, 23).replace('T', ' ');
}

/** Parses a DATETIME read as text (`YYYY-MM-DD HH:MM:SS[.ffffff]`, UTC) to a `Date` (ms precision). */
export function parseMySqlTime(value: unknown): Date {
  if (value instanceof Date) return value;
  const text = String(value);
  const match = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,6}))?/.exec(text);
  if (!match) throw new TypeError(`Not a MySQL DATETIME value: ${JSON.stringify(text)}.`);
  const [, year, month, day, hour, minute, second, fraction = ''] = match;
  const ms = Number(fraction.padEnd(3, '0').slice(0, 3));
  return new Date(Date.UTC(+year!, +month! - 1, +day!, +hour!, +minute!, +second!, ms));
}
