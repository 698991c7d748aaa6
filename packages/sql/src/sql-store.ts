import {
  DurablyError,
  StoreClosedError,
  StoreUnavailableError,
  storeArguments,
  type Clock,
  type ClaimedRun,
  type DurablyStore,
  type StoreCapabilities,
  type WorkAvailableEvent,
} from '@durably/core';
import { extendLeases, reapExpiredLeases, selectTime } from './lease-operations.js';
import { createRowMapper } from './row-mapper.js';
import { isEmptyClaim } from './run-claim.js';
import {
  cancelRun,
  cancelRunsOfJob,
  deleteFinishedRuns,
  deleteRun,
  readRun,
  retryRun,
} from './run-cancel.js';
import { finishRunMany } from './run-finish.js';
import { insertRunMany } from './run-insert.js';
import { appendRunLogs, setRunProgress } from './run-progress.js';
import { countRunsByStatus, listAttempts, listRunLogs, listRuns } from './run-queries.js';
import {
  deleteSchedule,
  insertSchedule,
  listDueSchedules,
  listSchedules,
  materializeSchedule,
  readSchedule,
  updateSchedule,
} from './schedule-operations.js';
import { createSqlContext, type SqlContext } from './sql-context.js';
import type { SqlDialectAdapter, SqlExecutor } from './sql-dialect-adapter.js';
import { migrateSchema } from './sql-migrator.js';
import { createTableNames } from './table-names.js';
import { beatWorker, listWorkers, removeWorker } from './worker-operations.js';

/** What a provider package passes to build its store on the shared SQL implementation. */
export interface SqlStoreOptions {
  /** The main Kysely instance: claims, completions, enqueues, queries. */
  db: SqlExecutor;
  /** Connections reserved for lease extension and worker beats. Default: `db`. */
  leaseDb?: SqlExecutor;
  adapter: SqlDialectAdapter;
  /** Prefix of every table, index and channel; letters, digits, `_`. Default `''`. */
  tablePrefix?: string;
  /** Schema of the tables (PostgreSQL); default: the connection's search path. */
  schema?: string;
  /** Makes "now" this clock's time instead of the database clock (tests). */
  clock?: Clock;
  capabilities: StoreCapabilities;
  /** The provider's wake-up channel, when it has one. */
  subscribeWork?: (listener: (event: WorkAvailableEvent) => void) => () => void;
  /** Releases what the provider opened (pools, listener), after the store stops accepting calls. */
  onClose?: () => Promise<void>;
}

/**
 * The one implementation of the store contract for every SQL database. A provider package creates
 * it with its Kysely instance and its `SqlDialectAdapter`; everything else is shared.
 */
export class SqlStore implements DurablyStore {
  readonly provider: string;
  readonly capabilities: StoreCapabilities;
  readonly subscribeWork?: (listener: (event: WorkAvailableEvent) => void) => () => void;
  /** The shared operation context (connections, names, dialect); for provider extensions and tests. */
  readonly context: SqlContext;
  #closed = false;
  readonly #onClose?: () => Promise<void>;

  constructor(options: SqlStoreOptions) {
    const tables = createTableNames({ tablePrefix: options.tablePrefix, schema: options.schema });
    this.provider = options.adapter.provider;
    this.capabilities = options.capabilities;
    this.context = createSqlContext({
      db: options.db,
      leaseDb: options.leaseDb,
      adapter: options.adapter,
      tables,
      map: createRowMapper(options.adapter),
      clock: options.clock,
    });
    this.#onClose = options.onClose;
    const subscribe = options.subscribeWork;
    if (subscribe) {
      this.subscribeWork = (listener) => {
        this.#assertOpen();
        return subscribe(listener);
      };
    }
  }

  migrate = () => this.#call(() => migrateSchema(this.context));
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#onClose?.();
  }
  clockNow = () =>
    this.#call(async () =>
      this.context.clock
        ? this.context.clock.now()
        : selectTime(this.context, this.context.db, this.context.adapter.nowExpression()),
    );

  runInsertMany: DurablyStore['runInsertMany'] = (p) =>
    this.#call(() => {
      p.runs.forEach((run, index) => storeArguments.newRun(run, `runs[${index}]`));
      const native = this.context.adapter.runInNativeTransaction(p.transaction, (transaction) =>
        insertRunMany(this.context, { ...p, transaction }),
      );
      return native ?? insertRunMany(this.context, p);
    });
  runClaim: DurablyStore['runClaim'] = (p) =>
    this.#call(() => {
      storeArguments.positiveInteger(p.limit, 'limit');
      storeArguments.leaseDuration(p.leaseDurationMs, 'leaseDurationMs');
      return this.#claim(p);
    });
  runFinishMany: DurablyStore['runFinishMany'] = (p) => this.#call(() => finishRunMany(this.context, p));
  leaseExtend: DurablyStore['leaseExtend'] = (p) =>
    this.#call(() => {
      storeArguments.leaseDuration(p.leaseDurationMs, 'leaseDurationMs');
      return extendLeases(this.context, p);
    });
  leaseReapExpired: DurablyStore['leaseReapExpired'] = (p) =>
    this.#call(() => {
      storeArguments.positiveInteger(p.limit, 'limit');
      return reapExpiredLeases(this.context, p);
    });
  runCancel: DurablyStore['runCancel'] = (p) => this.#call(() => cancelRun(this.context, p.runId));
  runCancelMany: DurablyStore['runCancelMany'] = (p) =>
    this.#call(() => cancelRunsOfJob(this.context, p.jobName));
  runRetry: DurablyStore['runRetry'] = (p) => this.#call(() => retryRun(this.context, p.runId));
  runDeleteFinished: DurablyStore['runDeleteFinished'] = (p) =>
    this.#call(() => {
      storeArguments.positiveInteger(p.limit, 'limit');
      storeArguments.duration(p.olderThanMs, 'olderThanMs');
      return deleteFinishedRuns(this.context, p.olderThanMs, p.limit);
    });
  runDelete: DurablyStore['runDelete'] = (p) => this.#call(() => deleteRun(this.context, p.runId));
  runProgressSet: DurablyStore['runProgressSet'] = (p) =>
    this.#call(() => {
      p.updates.forEach((update, index) => storeArguments.progress(update, `updates[${index}]`));
      return setRunProgress(this.context, p.updates);
    });
  runLogAppend: DurablyStore['runLogAppend'] = (p) =>
    this.#call(() => {
      storeArguments.positiveInteger(p.maxLinesPerRun, 'maxLinesPerRun');
      return appendRunLogs(this.context, p.lines, p.maxLinesPerRun);
    });
  runGet: DurablyStore['runGet'] = (p) => this.#call(() => readRun(this.context, this.context.db, p.runId));
  runList: DurablyStore['runList'] = (p) =>
    this.#call(() => {
      storeArguments.positiveInteger(p.limit, 'limit');
      return listRuns(this.context, p);
    });
  runCountByStatus: DurablyStore['runCountByStatus'] = (p) =>
    this.#call(() => countRunsByStatus(this.context, p));
  attemptList: DurablyStore['attemptList'] = (p) => this.#call(() => listAttempts(this.context, p.runId));
  runLogList: DurablyStore['runLogList'] = (p) =>
    this.#call(() => {
      if (p.limit !== undefined) storeArguments.positiveInteger(p.limit, 'limit');
      return listRunLogs(this.context, p.runId, p.limit);
    });
  scheduleInsert: DurablyStore['scheduleInsert'] = (p) =>
    this.#call(() => insertSchedule(this.context, p.schedule));
  scheduleUpdate: DurablyStore['scheduleUpdate'] = (p) => this.#call(() => updateSchedule(this.context, p));
  scheduleGet: DurablyStore['scheduleGet'] = (p) =>
    this.#call(() => readSchedule(this.context, this.context.db, p.jobName));
  scheduleList: DurablyStore['scheduleList'] = (p) =>
    this.#call(() => listSchedules(this.context, p.includeDisabled));
  scheduleDelete: DurablyStore['scheduleDelete'] = (p) =>
    this.#call(() => deleteSchedule(this.context, p.jobName));
  scheduleListDue: DurablyStore['scheduleListDue'] = (p) =>
    this.#call(() => {
      storeArguments.positiveInteger(p.limit, 'limit');
      return listDueSchedules(this.context, p);
    });
  scheduleMaterialize: DurablyStore['scheduleMaterialize'] = (p) =>
    this.#call(() => materializeSchedule(this.context, p));
  workerBeat: DurablyStore['workerBeat'] = (p) => this.#call(() => beatWorker(this.context, p.worker));
  workerList: DurablyStore['workerList'] = (p) =>
    this.#call(() => {
      storeArguments.duration(p.seenWithinMs, 'seenWithinMs');
      return listWorkers(this.context, p.seenWithinMs);
    });
  workerRemove: DurablyStore['workerRemove'] = (p) =>
    this.#call(() => removeWorker(this.context, p.workerName));

  async #claim(params: Parameters<DurablyStore['runClaim']>[0]): Promise<ClaimedRun[]> {
    if (isEmptyClaim(params)) return [];
    const rows = await this.context.adapter.claimRuns(this.context, params);
    const claimed = rows.map((row) => {
      const run = this.context.map.run(row);
      return { run, leaseExpiresAt: run.leaseExpiresAt! };
    });
    // Claim order (priority, then due time): statements that return rows do not keep it.
    return claimed.sort(
      (a, b) => b.run.priority - a.run.priority || a.run.runAt.getTime() - b.run.runAt.getTime(),
    );
  }

  #assertOpen(): void {
    if (this.#closed) throw new StoreClosedError();
  }

  /** Runs one operation: refuses after close, and turns transient database faults into a typed error. */
  async #call<T>(operation: () => Promise<T>): Promise<T> {
    this.#assertOpen();
    try {
      return await operation();
    } catch (error) {
      if (DurablyError.isInstance(error)) throw error;
      const translated = this.context.adapter.translateError(error);
      if (translated) throw translated;
      if (this.context.adapter.isTransientError(error)) {
        throw new StoreUnavailableError(
          `The ${this.provider} store is unavailable (${describe(error)}). The call can be retried once ` +
            'the database is reachable again; check its address, credentials and load.',
          { cause: error },
        );
      }
      throw error;
    }
  }
}

function describe(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return code ? `${String(code)}: ${error.message}` : error.message;
  }
  return String(error);
}
