import { InvalidArgumentError } from '../errors.js';
import { runStatuses, type Attempt, type Run, type RunLogLine, type RunStatus } from '../model.js';
import type { RunListParams, RunPage } from '../store.js';
import { describeValue } from './describe-value.js';
import type { ServiceDeps } from './service-deps.js';

/** Largest page any query returns; a larger `take` is clamped to it. */
export const runQueryMaxTake = 1000;
/** Page size when none is given. */
export const runQueryDefaultTake = 50;

/** Filters of `RunQuery.list`. */
export interface RunListFilters {
  statuses?: readonly RunStatus[];
  jobName?: string;
  queue?: string;
  createdAfter?: Date;
  createdBefore?: Date;
  /** Page size, 1..1000 (larger is clamped). Default 50. */
  take?: number;
  /** `nextCursor` of the previous page. */
  cursor?: string;
  /** `created` (default): newest first. `due`: the queue's order, earliest `runAt` first. */
  order?: 'created' | 'due';
}

/**
 * Read-only access to runs, their attempts and logs. Every `take` must be a positive integer; values
 * above 1000 are clamped to 1000.
 */
export interface RunQuery {
  get(runId: string): Promise<Run | undefined>;
  /** The newest runs (by creation), any status. */
  recent(take?: number): Promise<Run[]>;
  byStatus(status: RunStatus, take?: number): Promise<Run[]>;
  byJob(jobName: string, take?: number): Promise<Run[]>;
  /** Runs waiting to execute (`pending` and `waiting_retry`), earliest due first. */
  enqueued(take?: number): Promise<Run[]>;
  /** One page of runs matching `filters`; pass `nextCursor` back for the next page. */
  list(filters?: RunListFilters): Promise<RunPage>;
  /** Every ended attempt of a run, oldest first. */
  attempts(runId: string): Promise<Attempt[]>;
  /** The run's log lines (at most `take`, default all kept). */
  logs(runId: string, take?: number): Promise<RunLogLine[]>;
  /** Number of runs per status, optionally of one job or queue. */
  countsByStatus(filters?: { jobName?: string; queue?: string }): Promise<Record<RunStatus, number>>;
}

/**
 * Creates the run-query service.
 *
 * @example
 * const runs = createRunQuery(deps);
 * const failed = await runs.byStatus('failed', 20);
 */
export function createRunQuery(deps: ServiceDeps): RunQuery {
  const { store } = deps;
  const page = async (params: Omit<RunListParams, 'limit'>, take: unknown): Promise<Run[]> =>
    (await store.runList({ ...params, limit: checkTake(take) })).runs;

  return {
    get: async (runId) => store.runGet({ runId: checkString(runId, 'runId') }),
    // Every method is async so that argument errors reject the promise instead of throwing.
    recent: async (take) => page({}, take),
    byStatus: async (status, take) => page({ statuses: [checkStatus(status, 'status')] }, take),
    byJob: async (jobName, take) => page({ jobName: checkString(jobName, 'jobName') }, take),
    enqueued: async (take) => page({ statuses: ['pending', 'waiting_retry'], order: 'due' }, take),
    async list(filters = {}) {
      const { take, ...rest } = filters;
      rest.statuses?.forEach((status, index) => checkStatus(status, `filters.statuses[${index}]`));
      if (rest.order !== undefined && rest.order !== 'created' && rest.order !== 'due') {
        throw new InvalidArgumentError('filters.order', `must be "created" or "due", got ${describeValue(rest.order)}.`);
      }
      return store.runList({ ...rest, limit: checkTake(take, 'filters.take') });
    },
    attempts: async (runId) => store.attemptList({ runId: checkString(runId, 'runId') }),
    logs: async (runId, take) =>
      store.runLogList({ runId: checkString(runId, 'runId'), ...(take === undefined ? {} : { limit: checkTake(take) }) }),
    countsByStatus: async (filters = {}) => store.runCountByStatus(filters),
  };
}

/** Checks a page size: a positive integer, clamped to 1000. Default 50. */
export function checkTake(take: unknown, argument = 'take'): number {
  if (take === undefined) return runQueryDefaultTake;
  if (typeof take !== 'number' || !Number.isInteger(take) || take < 1) {
    throw new InvalidArgumentError(argument, `must be a positive integer (at most ${runQueryMaxTake} are returned), got ${describeValue(take)}.`);
  }
  return Math.min(take, runQueryMaxTake);
}

function checkStatus(status: unknown, argument: string): RunStatus {
  if (!(runStatuses as readonly unknown[]).includes(status)) {
    throw new InvalidArgumentError(argument, `must be one of ${runStatuses.join(', ')}, got ${describeValue(status)}.`);
  }
  return status as RunStatus;
}

function checkString(value: unknown, argument: string): string {
  if (typeof value !== 'string' || value === '') {
    throw new InvalidArgumentError(argument, `must be a non-empty string, got ${describeValue(value)}.`);
  }
  return value;
}
