import {
  SqlDialectAdapter,
  type ClaimParams,
  type ClaimedRunRow,
  type ColumnKind,
  type FinishPlan,
  type FinishRowResult,
  type RunInsertRow,
  type SqlContext,
  type SqlExecutor,
} from '@durably/sql';
import type { PayloadMatch } from '@durably/core';
import { sql, type Expression, type RawBuilder, type SqlBool } from 'kysely';
import { postgresPayloadMatch } from './postgres-payload-match.js';
import { claimPostgresRuns, type ClaimPool } from './postgres-claim.js';
import {
  isPostgresTransientError,
  isPostgresUniqueViolation,
  translatePostgresError,
} from './postgres-errors.js';
import { finishPostgresRuns } from './postgres-finish.js';
import { insertPostgresRuns, notifyPostgresWork } from './postgres-insert.js';
import { isPgClient, runInPgClientTransaction } from './postgres-native-transaction.js';
import {
  createPostgresSchema,
  postgresAfterMigration,
  postgresColumnTypes,
  postgresSerialPrimaryKey,
} from './postgres-migrations.js';

/**
 * PostgreSQL (pg): one-statement claims with `SKIP LOCKED`, `unnest` bulk inserts, one-statement
 * batch finishes, LISTEN/NOTIFY wake-ups, times from the database clock at millisecond precision.
 */
export class PostgresAdapter extends SqlDialectAdapter {
  readonly provider = 'postgres';
  /** The NOTIFY channel of this store's tables. */
  readonly channel: string;
  /** Resolves once the store's LISTEN connection (if any) is listening; awaited before notifying. */
  listenerReady: () => Promise<void> = () => Promise.resolve();
  /** Connections that start with `enable_sort = off`, used only for claims (see `claimPostgresRuns`). */
  claimPool: ClaimPool | undefined;

  constructor(channel: string) {
    super();
    this.channel = channel;
  }

  override get supportsReturning(): boolean {
    return true;
  }
  override get supportsOnConflict(): boolean {
    return true;
  }
  override get supportsSkipLocked(): boolean {
    return true;
  }
  override get supportsPartialIndexes(): boolean {
    return true;
  }

  columnType(kind: ColumnKind): string {
    return postgresColumnTypes[kind];
  }
  serialPrimaryKey(name: string): string {
    return postgresSerialPrimaryKey(name);
  }
  /** Transaction time, truncated to the column precision so that stored and compared values agree. */
  nowExpression(): RawBuilder<unknown> {
    return sql`date_trunc('milliseconds', now())`;
  }
  timeValue(time: Date): RawBuilder<unknown> {
    return sql`${time}::timestamptz`;
  }
  addMilliseconds(time: Expression<unknown>, ms: number): RawBuilder<unknown> {
    return sql`(${time} + ${ms}::float8 * interval '1 millisecond')`;
  }
  readTime(value: unknown): Date {
    return value instanceof Date ? value : new Date(String(value));
  }
  jsonValue(json: string): RawBuilder<unknown> {
    return sql`${json}::jsonb`;
  }
  /** pg parses `jsonb` itself. */
  readJson(value: unknown): unknown {
    return value;
  }
  /** `runList`'s `payloadMatch`, compiled for this database (see `postgresPayloadMatch`). */
  override payloadMatchPredicate(column: Expression<unknown>, match: PayloadMatch): RawBuilder<SqlBool> {
    return postgresPayloadMatch(column, match);
  }
  isTransientError(error: unknown): boolean {
    return isPostgresTransientError(error);
  }
  isUniqueViolation(error: unknown): boolean {
    return isPostgresUniqueViolation(error);
  }
  override translateError(error: unknown): Error | undefined {
    return translatePostgresError(error);
  }
  override async beforeMigrate(db: SqlExecutor, ctx: SqlContext): Promise<void> {
    await createPostgresSchema(db, ctx);
  }
  override async afterMigration(db: SqlExecutor, ctx: SqlContext, migrationId: string): Promise<void> {
    await postgresAfterMigration(db, ctx, migrationId);
  }
  override claimRuns(ctx: SqlContext, params: ClaimParams): Promise<ClaimedRunRow[]> {
    return claimPostgresRuns(ctx, params, this.claimPool);
  }
  override async insertRuns(
    ctx: SqlContext,
    executor: SqlExecutor,
    rows: readonly RunInsertRow[],
    options: { notifyQueues: readonly string[] },
  ): Promise<Set<string>> {
    if (options.notifyQueues.length > 0) await this.listenerReady();
    return insertPostgresRuns(ctx, executor, rows, this.channel, options.notifyQueues);
  }
  override async finishRuns(ctx: SqlContext, plans: readonly FinishPlan[]): Promise<FinishRowResult[]> {
    // Only a run made due again can send a wake-up; terminal endings never wait for the listener
    // (which may be reconnecting for up to its connection timeout).
    if (plans.some((plan) => !plan.terminal)) await this.listenerReady();
    // A run named twice in one batch must see its own first finish: statement by statement then.
    if (new Set(plans.map((plan) => plan.runId)).size < plans.length) return super.finishRuns(ctx, plans);
    return finishPostgresRuns(ctx, plans, this.channel);
  }
  /** Accepts the caller's `pg` client (inside its own `BEGIN`) as a transaction. */
  override runInNativeTransaction<T>(
    transaction: unknown,
    work: (transaction: SqlExecutor) => Promise<T>,
  ): Promise<T> | undefined {
    return isPgClient(transaction) ? runInPgClientTransaction(transaction, work) : undefined;
  }
  override async notifyWork(
    executor: SqlExecutor,
    _ctx: SqlContext,
    queues: readonly string[],
  ): Promise<void> {
    await this.listenerReady();
    await notifyPostgresWork(executor, this.channel, queues);
  }
}
