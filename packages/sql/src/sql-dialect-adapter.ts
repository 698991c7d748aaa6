import { InvalidArgumentError, type PayloadMatch } from '@durably/core';
import { sql, type Expression, type Kysely, type RawBuilder, type SqlBool } from 'kysely';
import type { ClaimedRunRow, FinishPlan, FinishRowResult, RunInsertRow, SqlContext } from './sql-context.js';
import { claimRunsPortable } from './run-claim.js';
import { finishRunsPortable } from './run-finish.js';
import { insertRunsPortable } from './run-insert.js';
import { retryOnLockConflict } from './retry-on-lock-conflict.js';

/** Kysely database type of the SQL stores: table names are computed (prefix, schema) at run time. */
export type AnyDb = Record<string, Record<string, unknown>>;
/** A Kysely instance or transaction over our tables. */
export type SqlExecutor = Kysely<AnyDb>;

/** The logical column types of our schema; each dialect maps them to its own DDL type. */
export type ColumnKind =
  | 'id' // a UUID
  | 'name' // short indexed text: job names, queues, keys, worker names (≤ 255 chars)
  | 'text' // unbounded text: messages, cron expressions
  | 'json' // a JSON document
  | 'time' // an instant with millisecond precision
  | 'bool'
  | 'int'
  | 'double';

/** An index as the migrations describe it; `where` makes it partial where the dialect can. */
export interface IndexSpec {
  name: string;
  table: string;
  /** Column list as SQL text from our own migrations (e.g. `priority desc, run_at`), never user input. */
  columns: string;
  unique?: boolean;
  /** Predicate as SQL text from our own migrations, e.g. `status in ('pending','waiting_retry')`. */
  where?: string;
}

/**
 * The dialect seam: everything the shared SQL store needs to know about one database, as capability
 * flags with safe defaults and override points for exactly what differs. The shared store never asks
 * which database it runs on; it asks this object.
 *
 * A new dialect (MySQL, SQL Server) supplies: `provider`, the column types, the now-expression,
 * time/JSON/boolean conversions, error classification (`isLockConflict` makes store transactions
 * re-run after a deadlock), and overrides `claimRuns` (and, where its SQL lacks
 * `ON CONFLICT … RETURNING` or row-value fences, `insertRunRows` / `finishRuns`) and `createIndex`
 * when it has no partial indexes.
 */
export abstract class SqlDialectAdapter {
  /** Short provider name (`sqlite`, `postgres`, …). */
  abstract readonly provider: string;

  /** `UPDATE/INSERT … RETURNING` (PostgreSQL, SQLite ≥ 3.35). Default false. */
  get supportsReturning(): boolean {
    return false;
  }
  /** `FOR UPDATE SKIP LOCKED` (PostgreSQL, MySQL 8, MariaDB 10.6). Default false. */
  get supportsSkipLocked(): boolean {
    return false;
  }
  /** `CREATE INDEX … WHERE …` (PostgreSQL, SQLite, SQL Server). Default false. */
  get supportsPartialIndexes(): boolean {
    return false;
  }
  /**
   * `INSERT … ON CONFLICT DO NOTHING` (PostgreSQL, SQLite). Default false: `insertIgnoringDuplicates`
   * then runs a plain `INSERT` and treats a unique violation as "already there", which is only
   * right where a failed statement leaves the transaction usable (MySQL/InnoDB, SQL Server with
   * `XACT_ABORT OFF`; not PostgreSQL, which aborts the whole transaction).
   */
  get supportsOnConflict(): boolean {
    return false;
  }
  /**
   * Every write must run inside an explicit transaction, even a single statement. SQLite needs this:
   * its transactions begin `IMMEDIATE`, which takes the write lock up front and waits for it under
   * `busy_timeout`; an autocommit statement can instead fail at once with SQLITE_BUSY. Default false.
   */
  get writesNeedTransaction(): boolean {
    return false;
  }
  /** Rows per multi-row statement, so that bound parameters stay under the driver's limit. */
  get maxRowsPerStatement(): number {
    return 500;
  }

  /** The DDL type of a logical column type. */
  abstract columnType(kind: ColumnKind): string;
  /** DDL of an auto-incrementing integer primary key column named `name`. */
  abstract serialPrimaryKey(name: string): string;
  /** The database clock as a SQL expression, at millisecond precision. */
  abstract nowExpression(): RawBuilder<unknown>;
  /** A bound instant, typed as the dialect's time type. */
  abstract timeValue(time: Date): RawBuilder<unknown>;
  /** `time + ms` milliseconds (ms may be negative). */
  abstract addMilliseconds(time: Expression<unknown>, ms: number): RawBuilder<unknown>;
  /** Converts a time column value to a `Date`. */
  abstract readTime(value: unknown): Date;
  /** A bound JSON document from its text. */
  abstract jsonValue(json: string): RawBuilder<unknown>;
  /**
   * Converts a JSON column value to the parsed value. Dialects that receive JSON as text parse it
   * with `parsePayloadJson` (no `__proto__` keys), so a row written by other means cannot carry one
   * into a handler; PostgreSQL's claim pool does the same for `jsonb` (`claimPoolTypes`).
   */
  abstract readJson(value: unknown): unknown;
  /** Whether an error is transient (connection lost, server restarting, lock timeout): retry later. */
  abstract isTransientError(error: unknown): boolean;
  /** Whether an error is a unique-constraint violation. */
  abstract isUniqueViolation(error: unknown): boolean;
  /**
   * Whether an error is a lock conflict after which the database rolled the whole transaction back
   * (a deadlock victim, a lock wait timeout), so `runStoreTransaction` may run it again. Default
   * false (the transaction runs once).
   */
  isLockConflict(_error: unknown): boolean {
    return false;
  }

  /**
   * A typed error for a database error the caller can fix (e.g. a value the database refuses),
   * or `undefined` to let it pass unchanged. Default: `undefined`.
   */
  translateError(_error: unknown): Error | undefined {
    return undefined;
  }

  /**
   * The `runList` filter `payloadMatch` as a predicate on the JSON column `column`: the value at
   * `match.path` equals the scalar `match.value` with JSON types kept apart (`"1"` ≠ `1`,
   * `true` ≠ `1`, `null` ≠ missing key; numbers compare as numbers, strings byte for byte). `match`
   * is already validated; bind the path (see `payloadJsonPath`) and the value as parameters.
   * Default: refuses with `InvalidArgumentError`, so a dialect that has not implemented it never
   * answers with wrong results.
   */
  payloadMatchPredicate(_column: Expression<unknown>, _match: PayloadMatch): RawBuilder<SqlBool> {
    throw new InvalidArgumentError(
      'payloadMatch',
      `the ${this.provider} store cannot search payloads; filter the listed runs in your code instead.`,
    );
  }

  /** A bound boolean. Default: the driver's boolean. */
  boolValue(value: boolean): unknown {
    return value;
  }
  /** Converts a boolean column value. */
  readBool(value: unknown): boolean {
    return value === true || value === 1 || value === '1' || value === 't';
  }
  /** Converts an integer column (or `count(*)`) value; drivers return bigints as strings. */
  readInteger(value: unknown): number {
    return typeof value === 'number' ? value : Number(value);
  }

  /**
   * Runs one transaction the store owns (never a caller's): `run` begins, executes and commits it.
   * Default: runs it again after a lock conflict (`isLockConflict`; MySQL, SQL Server roll the
   * whole transaction back on a deadlock), at most 5 times with short jittered waits
   * (see `retryOnLockConflict`); with the default `isLockConflict`, exactly once.
   */
  runStoreTransaction<T>(run: () => Promise<T>): Promise<T> {
    return retryOnLockConflict(run, (error) => this.isLockConflict(error));
  }

  /** Runs before migrations (e.g. `CREATE SCHEMA IF NOT EXISTS`). Default: nothing. */
  async beforeMigrate(_db: SqlExecutor, _ctx: SqlContext): Promise<void> {}

  /** Dialect-specific DDL that follows a shared migration (tuning, extra objects). Default: nothing. */
  async afterMigration(_db: SqlExecutor, _ctx: SqlContext, _migrationId: string): Promise<void> {}

  /** Creates one index. Default: partial where supported, else a full index over the same columns. */
  async createIndex(db: SqlExecutor, spec: IndexSpec): Promise<void> {
    const unique = spec.unique ? sql.raw('unique ') : sql.raw('');
    const where = spec.where && this.supportsPartialIndexes ? sql.raw(` where ${spec.where}`) : sql.raw('');
    await sql`create ${unique}index if not exists ${sql.id(spec.name)} on ${sql.table(spec.table)} (${sql.raw(
      spec.columns,
    )})${where}`.execute(db);
  }

  /**
   * When `transaction` is the driver's own connection inside the caller's transaction (not a Kysely
   * `Transaction`), runs `work` with a Kysely transaction over it and returns its promise; otherwise
   * `undefined`. Default: `undefined` (only Kysely transactions are accepted).
   */
  runInNativeTransaction<T>(
    _transaction: unknown,
    _work: (transaction: SqlExecutor) => Promise<T>,
  ): Promise<T> | undefined {
    return undefined;
  }

  /**
   * Inserts one row unless it would violate a unique key (schedules, worker beats); returns whether
   * it inserted. With `supportsOnConflict`: `INSERT … ON CONFLICT DO NOTHING`. Without: a plain
   * `INSERT`, a unique violation (`isUniqueViolation`) meaning "already there" (not `INSERT IGNORE`
   * on MySQL, which would also turn other errors, such as a value too long, into warnings).
   */
  async insertIgnoringDuplicates(
    executor: SqlExecutor,
    table: string,
    values: Record<string, unknown>,
  ): Promise<boolean> {
    if (!this.supportsOnConflict) {
      try {
        await executor.insertInto(table).values(values).execute();
        return true;
      } catch (error) {
        if (this.isUniqueViolation(error)) return false;
        throw error;
      }
    }
    const result = await executor
      .insertInto(table)
      .values(values)
      .onConflict((conflict) => conflict.doNothing())
      .executeTakeFirst();
    return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
  }

  /**
   * Claims due runs in one atomic step and returns the claimed rows. Default: select the due ids
   * (with `FOR UPDATE SKIP LOCKED` where supported) and update them, in one transaction.
   */
  claimRuns(ctx: SqlContext, params: ClaimParams): Promise<ClaimedRunRow[]> {
    return claimRunsPortable(ctx, params);
  }

  /**
   * Inserts rows, skipping those that violate a unique index; returns the ids inserted. With
   * `notifyQueues`, also wakes idle workers of those queues (on commit where the database defers
   * notifications). Default: `insertRunRows`, then `notifyWork`.
   */
  async insertRuns(
    ctx: SqlContext,
    executor: SqlExecutor,
    rows: readonly RunInsertRow[],
    options: { notifyQueues: readonly string[] },
  ): Promise<Set<string>> {
    const inserted = await this.insertRunRows(ctx, executor, rows);
    if (options.notifyQueues.length > 0) await this.notifyWork(executor, ctx, options.notifyQueues);
    return inserted;
  }

  /**
   * The insert itself of `insertRuns`: writes the rows (all or none), skipping those that violate
   * a unique index (active run key, cron slot), and returns the ids inserted. Default: multi-row
   * `INSERT … ON CONFLICT DO NOTHING RETURNING id` (needs `supportsOnConflict` and
   * `supportsReturning`); build each row's values with `runInsertValues`.
   */
  insertRunRows(ctx: SqlContext, executor: SqlExecutor, rows: readonly RunInsertRow[]): Promise<Set<string>> {
    return insertRunsPortable(ctx, executor, rows);
  }

  /**
   * Applies fenced finishes atomically (one transaction, or one statement) and returns, per plan in
   * order, whether it applied and the run's status; wakes workers for runs made due now.
   * Default: one fenced `UPDATE` per plan in a transaction.
   */
  finishRuns(ctx: SqlContext, plans: readonly FinishPlan[]): Promise<FinishRowResult[]> {
    return finishRunsPortable(ctx, plans);
  }

  /**
   * Tells idle workers of `queues` that work is due, inside `executor`'s transaction (delivered
   * on commit). Default: nothing (workers find work by polling).
   */
  async notifyWork(_executor: SqlExecutor, _ctx: SqlContext, _queues: readonly string[]): Promise<void> {}
}

/** Parameters of a claim as the adapter receives them. */
export interface ClaimParams {
  workerName: string;
  limit: number;
  leaseDurationMs: number;
  jobNames: readonly string[];
  queues?: readonly string[];
}
