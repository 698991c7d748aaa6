import type { AttemptOutcome, Clock, RunError, RunStatus } from '@durably/core';
import type { RawBuilder } from 'kysely';
import { InsertCoalescer } from './insert-coalescer.js';
import type { RowMapper } from './row-mapper.js';
import { dueNowQueues } from './run-insert.js';
import type { SqlDialectAdapter, SqlExecutor } from './sql-dialect-adapter.js';
import type { TableNames } from './table-names.js';

/** Everything one store operation needs: connections, dialect, names, the clock, row mapping. */
export interface SqlContext {
  /** The main connections: claims, completions, enqueues, queries. */
  readonly db: SqlExecutor;
  /** Connections reserved for lease extension and worker beats, so claims cannot starve them. */
  readonly leaseDb: SqlExecutor;
  readonly adapter: SqlDialectAdapter;
  readonly tables: TableNames;
  readonly map: RowMapper;
  /** The injected clock, when "now" is a bound parameter instead of the database clock. */
  readonly clock: Clock | undefined;
  /** The store's "now" as a SQL expression: the database clock, or the injected clock's time bound. */
  now(): RawBuilder<unknown>;
  /** Runs `fn` in a transaction (on `executor` when it already is one, else a new one on `db`). */
  transaction<T>(fn: (trx: SqlExecutor) => Promise<T>, executor?: SqlExecutor): Promise<T>;
  /** Runs a single-statement write: in a transaction only when the dialect needs one for writes. */
  write<T>(fn: (executor: SqlExecutor) => Promise<T>, executor?: SqlExecutor): Promise<T>;
  /** Inserts independent keyless runs with group commit (see `InsertCoalescer`). */
  insertCoalesced(rows: readonly RunInsertRow[]): Promise<void>;
}

/** Creates the context shared by all operations of one store. */
export function createSqlContext(input: {
  db: SqlExecutor;
  leaseDb?: SqlExecutor;
  adapter: SqlDialectAdapter;
  tables: TableNames;
  map: RowMapper;
  clock?: Clock;
}): SqlContext {
  const { db, adapter, clock } = input;
  let coalescer: InsertCoalescer | undefined;
  const transaction = <T>(fn: (trx: SqlExecutor) => Promise<T>, executor: SqlExecutor = db): Promise<T> =>
    executor.isTransaction
      ? fn(executor)
      : adapter.runStoreTransaction(() => executor.transaction().execute(fn));
  const write = <T>(fn: (executor: SqlExecutor) => Promise<T>, executor: SqlExecutor = db): Promise<T> =>
    adapter.writesNeedTransaction && !executor.isTransaction ? transaction(fn, executor) : fn(executor);
  const ctx: SqlContext = {
    db,
    leaseDb: input.leaseDb ?? db,
    adapter,
    tables: input.tables,
    map: input.map,
    clock,
    now: () => (clock ? adapter.timeValue(clock.now()) : adapter.nowExpression()),
    transaction,
    write,
    insertCoalesced: (rows) => {
      coalescer ??= new InsertCoalescer(
        async (batch) => {
          await write((executor) =>
            adapter.insertRuns(ctx, executor, batch, { notifyQueues: dueNowQueues(ctx, batch) }),
          );
        },
        (error) => adapter.isTransientError(error),
      );
      return coalescer.insert(rows);
    },
  };
  return ctx;
}

/** One run to insert, with everything computed (the store's `now` fills the null times). */
export interface RunInsertRow {
  id: string;
  jobName: string;
  queue: string;
  priority: number;
  maxAttempts: number;
  payloadJson: string;
  metadataJson: string;
  /** `null` = the store's now. */
  runAt: Date | null;
  /** `null` = `runAt`. */
  scheduledFor: Date | null;
  key: string | null;
  origin: string;
  status: 'pending' | 'skipped';
  slotAt: Date | null;
}

/** A claimed run as the database returned it (column names as in the schema). */
export type ClaimedRunRow = Record<string, unknown>;

/**
 * One fenced finish, planned in shared code: the dialect only executes it. Applies only while the run
 * is `leased` by `workerName` at `attempt`.
 */
export interface FinishPlan {
  runId: string;
  workerName: string;
  attempt: number;
  status: RunStatus;
  /** When the run becomes due again: `runAt` if set, else now + `delayMs`; both null = unchanged. */
  runAt: Date | null;
  delayMs: number | null;
  /** Store `error` as the run's `last_error` (false keeps the current one). */
  setError: boolean;
  error: RunError | null;
  /** 1 when the outcome spends no attempt (snooze, interrupted). */
  maxAttemptsIncrement: number;
  /** Sets `finished_at` = now. */
  terminal: boolean;
  attemptOutcome: AttemptOutcome;
}

/** The result of one finish plan. */
export interface FinishRowResult {
  runId: string;
  applied: boolean;
  status?: RunStatus;
}
