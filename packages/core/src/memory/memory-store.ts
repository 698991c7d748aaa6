import { systemClock, type Clock } from '../clock.js';
import { StoreClosedError } from '../errors.js';
import type { DurablyStore, StoreCapabilities } from '../store.js';
import { createMemoryNotifier } from './memory-notifier.js';
import { cancelJobRuns, cancelRun, deleteFinishedRuns, retryRun } from './memory-run-admin.js';
import { claimRuns } from './memory-run-claim.js';
import { finishRuns } from './memory-run-finish.js';
import { insertRuns } from './memory-run-insert.js';
import { appendLogs, listLogs, setProgress } from './memory-run-output.js';
import { countRunsByStatus, listAttempts, listRuns } from './memory-run-query.js';
import { extendLeases, reapExpiredLeases } from './memory-lease.js';
import {
  deleteSchedule,
  insertSchedule,
  listDueSchedules,
  listSchedules,
  materializeSchedule,
  updateSchedule,
} from './memory-schedules.js';
import { createMemoryState, deleteRunRecords, toRun, toSchedule, type MemoryContext } from './memory-state.js';
import { beatWorker, listWorkers, removeWorker } from './memory-workers.js';

/** Options of {@link createMemoryStore}. */
export interface MemoryStoreOptions {
  /** The store's source of "now" for every timestamp and due check. Default: the system clock. */
  clock?: Clock;
}

const memoryCapabilities: StoreCapabilities = Object.freeze({
  crossProcess: false,
  notifications: true,
  transactionalEnqueue: false,
  defaultRunRetentionSeconds: 3600,
});

/**
 * Creates a process-local store that keeps everything in memory: for tests, demos and
 * single-process tools where losing the runs on exit is acceptable. Each method changes the state
 * in one synchronous step, so concurrent async callers in the process see it atomically (two
 * claimers never get the same run), and every result is a fresh copy.
 *
 * Capabilities: not cross-process; `subscribeWork` wakes listeners when a run becomes due now (an
 * enqueue, a retry, a snooze, an interrupt, a reaped lease); no transactional enqueue (passing a
 * `transaction` is an `InvalidArgumentError`); default run retention 3 600 s.
 *
 * @example
 * const clock = createFakeClock();
 * const store = createMemoryStore({ clock });
 * await store.runInsertMany({ runs: [newRun] });
 */
export function createMemoryStore(options: MemoryStoreOptions = {}): DurablyStore {
  const clock = options.clock ?? systemClock;
  const notifier = createMemoryNotifier((error) => {
    process.emitWarning(`A durably memory-store work listener threw: ${String(error)}`);
  });
  const ctx: MemoryContext = {
    state: createMemoryState(),
    now: () => clock.now().getTime(),
    notify: (event) => notifier.notify(event),
  };
  let closed = false;
  // Runs the operation synchronously (that is what makes it atomic) and settles the promise.
  const call: Call = (operation) => {
    if (closed) return Promise.reject(new StoreClosedError());
    try {
      return Promise.resolve(operation());
    } catch (error) {
      return Promise.reject(error);
    }
  };
  return {
    provider: 'memory',
    capabilities: memoryCapabilities,
    migrate: () => call(() => undefined),
    close: () => {
      closed = true;
      notifier.clear();
      return Promise.resolve();
    },
    clockNow: () => call(() => new Date(ctx.now())),
    ...runWriteMethods(ctx, call),
    ...runReadMethods(ctx, call),
    ...scheduleMethods(ctx, call),
    workerBeat: (params) => call(() => beatWorker(ctx, params.worker)),
    workerList: (params) => call(() => listWorkers(ctx, params.seenWithinMs)),
    workerRemove: (params) => call(() => removeWorker(ctx, params.workerName)),
    subscribeWork: (listener) => {
      if (closed) throw new StoreClosedError();
      return notifier.subscribe(listener);
    },
  };
}

type Call = <T>(operation: () => T) => Promise<T>;

type RunWriteMethods = Pick<
  DurablyStore,
  | 'runInsertMany'
  | 'runClaim'
  | 'runFinishMany'
  | 'leaseExtend'
  | 'leaseReapExpired'
  | 'runCancel'
  | 'runCancelMany'
  | 'runRetry'
  | 'runDeleteFinished'
  | 'runDelete'
  | 'runProgressSet'
  | 'runLogAppend'
>;

function runWriteMethods(ctx: MemoryContext, call: Call): RunWriteMethods {
  return {
    runInsertMany: (params) => call(() => insertRuns(ctx, params)),
    runClaim: (params) => call(() => claimRuns(ctx, params)),
    runFinishMany: (params) => call(() => finishRuns(ctx, params)),
    leaseExtend: (params) => call(() => extendLeases(ctx, params)),
    leaseReapExpired: (params) => call(() => reapExpiredLeases(ctx, params)),
    runCancel: (params) => call(() => cancelRun(ctx, params.runId)),
    runCancelMany: (params) => call(() => cancelJobRuns(ctx, params.jobName)),
    runRetry: (params) => call(() => retryRun(ctx, params.runId)),
    runDeleteFinished: (params) => call(() => deleteFinishedRuns(ctx, params)),
    runDelete: (params) => call(() => deleteRunRecords(ctx.state, params.runId)),
    runProgressSet: (params) => call(() => setProgress(ctx, params.updates)),
    runLogAppend: (params) => call(() => appendLogs(ctx, params)),
  };
}

type RunReadMethods = Pick<DurablyStore, 'runGet' | 'runList' | 'runCountByStatus' | 'attemptList' | 'runLogList'>;

function runReadMethods(ctx: MemoryContext, call: Call): RunReadMethods {
  return {
    runGet: (params) =>
      call(() => {
        const run = ctx.state.runs.get(params.runId);
        return run ? toRun(run) : undefined;
      }),
    runList: (params) => call(() => listRuns(ctx, params)),
    runCountByStatus: (params) => call(() => countRunsByStatus(ctx, params)),
    attemptList: (params) => call(() => listAttempts(ctx, params.runId)),
    runLogList: (params) => call(() => listLogs(ctx, params)),
  };
}

type ScheduleMethods = Pick<
  DurablyStore,
  | 'scheduleInsert'
  | 'scheduleUpdate'
  | 'scheduleGet'
  | 'scheduleList'
  | 'scheduleDelete'
  | 'scheduleListDue'
  | 'scheduleMaterialize'
>;

function scheduleMethods(ctx: MemoryContext, call: Call): ScheduleMethods {
  return {
    scheduleInsert: (params) => call(() => insertSchedule(ctx, params.schedule)),
    scheduleUpdate: (params) => call(() => updateSchedule(ctx, params)),
    scheduleGet: (params) =>
      call(() => {
        const schedule = ctx.state.schedules.get(params.jobName);
        return schedule ? toSchedule(schedule) : undefined;
      }),
    scheduleList: (params) => call(() => listSchedules(ctx, params.includeDisabled)),
    scheduleDelete: (params) => call(() => deleteSchedule(ctx, params.jobName)),
    scheduleListDue: (params) => call(() => listDueSchedules(ctx, params)),
    scheduleMaterialize: (params) => call(() => materializeSchedule(ctx, params)),
  };
}
