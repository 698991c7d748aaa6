import { InvalidArgumentError, PayloadError } from '../errors.js';
import type { JobDefinition } from '../job-definition.js';
import type { RunOrigin } from '../model.js';
import { serializePayload } from '../payload/serialize-payload.js';
import { validatePayload } from '../payload/validate-payload.js';
import type { AnyJobDefinition } from '../registry/job-registry.js';
import type { NewRun, RunCancelResult, RunInsertResult } from '../store.js';
import { checkDate, checkDelay, checkEnqueueOptions, type EnqueueOptions, type ScheduleOptions } from './enqueue-options.js';
import { splitEnqueueItems, type EnqueueItem } from './enqueue-items.js';
import { describeValue } from './describe-value.js';
import { commonValue, instrumentEnqueue } from './instrument-enqueue.js';
import type { ServiceDeps } from './service-deps.js';

/** The payload argument is optional for jobs whose payload may be `undefined` (`defineJob<void>`). */
export type PayloadArgs<Payload, Options> = undefined extends Payload
  ? [payload?: Payload, opts?: Options]
  : [payload: Payload, opts?: Options];

/** When a scheduled run becomes due: an instant, or a delay (milliseconds or `"10m"`) from now. */
export type ScheduleAt = Date | { delay: number | string };

/**
 * Creates runs and cancels them. Every call checks its arguments and the payload (the job's schema,
 * the JSON rules, `payloadMaxBytes`) before it touches the store, so a rejected call stores nothing.
 */
export interface DurablyClient {
  /**
   * Enqueues one run and returns its `runId`. With a `key` that an active run of the job already
   * has, `keep-existing` (default) returns that run's id, `replace` updates the pending run, `reject`
   * throws `RunKeyConflictError`.
   */
  enqueue<Payload>(job: JobDefinition<Payload>, ...args: PayloadArgs<NoInfer<Payload>, EnqueueOptions>): Promise<string>;
  /**
   * Enqueues many runs of one job in one store call. `items` is either payloads, or
   * `{ payload, opts }` objects (every element must then have exactly these keys; a payload that
   * itself looks like `{ payload }` must be wrapped). Item options override `opts`; `transaction`
   * can only be given in `opts`. Results are in input order.
   */
  enqueueMany<Payload>(
    job: JobDefinition<Payload>,
    items: readonly NoInfer<Payload>[] | readonly EnqueueItem<NoInfer<Payload>>[],
    opts?: EnqueueOptions,
  ): Promise<RunInsertResult[]>;
  /** Enqueues a run due at `at` (a Date, or `{ delay }` from the client's clock). Returns its `runId`. */
  schedule<Payload>(job: JobDefinition<Payload>, payload: NoInfer<Payload>, at: ScheduleAt, opts?: ScheduleOptions): Promise<string>;
  /**
   * Cancels a run: a pending or waiting-retry run at once (`cancelled`); a running one is asked to
   * stop (`cancel_requested`: its signal aborts and it ends `cancelled`). A finished run is left as
   * it is (`already_finished`); an unknown id gives `not_found`.
   */
  cancel(runId: string): Promise<RunCancelResult>;
  /** Cancels every active run of a job (by definition or by name, also a job no longer in code). */
  cancelJob(job: AnyJobDefinition | string): Promise<{ cancelled: number; cancelRequested: number }>;
  /** Enqueues by job name, for the CLI and admin tools; an unknown name throws `UnknownJobError`. */
  enqueueByName(jobName: string, payload?: unknown, opts?: EnqueueOptions): Promise<string>;
}

/**
 * Creates the client used to enqueue, schedule and cancel runs.
 *
 * @example
 * const client = createClient({ store, registry, options, clock: systemClock });
 * const runId = await client.enqueue(sendWelcome, { userId: 'u1' }, { key: 'welcome:u1' });
 * await client.schedule(sendReminder, { userId: 'u1' }, { delay: '30m' });
 */
export function createClient(deps: ServiceDeps): DurablyClient {
  const { store } = deps;

  async function insert(job: JobDefinition<unknown>, runs: NewRun[], transaction: unknown): Promise<RunInsertResult[]> {
    if (transaction !== undefined && !store.capabilities.transactionalEnqueue) {
      throw new InvalidArgumentError(
        'opts.transaction',
        `the ${store.provider} store cannot join a transaction; enqueue after the commit, or use a SQL store.`,
      );
    }
    const info = {
      jobName: runs[0]!.jobName,
      queue: commonValue(runs.map((run) => run.queue), job.queue),
      origin: commonValue(runs.map((run) => run.origin), 'enqueue'),
    };
    return instrumentEnqueue(deps.instrumentation, info, runs, (traced) =>
      store.runInsertMany(transaction === undefined ? { runs: traced } : { runs: traced, transaction }),
    );
  }

  async function enqueueOne(job: unknown, payload: unknown, opts: unknown, origin: RunOrigin | undefined): Promise<string> {
    const definition = requireJob(deps, job);
    const run = await prepareRun(deps, definition, payload, opts, 'opts', origin);
    const [result] = await insert(definition, [run], transactionOf(opts));
    return result!.runId;
  }

  return {
    enqueue: (job, ...[payload, opts]) => enqueueOne(job, payload, opts, undefined),
    async enqueueByName(jobName, payload, opts) {
      if (typeof jobName !== 'string') throw new InvalidArgumentError('jobName', `must be a string, got ${describeValue(jobName)}.`);
      return enqueueOne(deps.registry.require(jobName), payload, opts, undefined);
    },
    async schedule(job, payload, at, opts) {
      const definition = requireJob(deps, job);
      for (const forbidden of ['delay', 'runAt'] as const) {
        if (typeof opts === 'object' && opts !== null && forbidden in opts) {
          throw new InvalidArgumentError(`opts.${forbidden}`, 'pass the time as the `at` argument of schedule(), not in opts.');
        }
      }
      const runAt = scheduleTime(at);
      const merged = { ...opts, ...(runAt instanceof Date ? { runAt } : { delay: runAt.delay }) };
      return enqueueOne(definition, payload, merged, 'schedule');
    },
    async enqueueMany(job, items, opts) {
      const definition = requireJob(deps, job);
      const split = splitEnqueueItems(items, opts);
      const runs = await Promise.all(
        split.map((item) => prepareRun(deps, definition, item.payload, item.opts, item.argument, undefined, item.payloadArgument)),
      );
      if (runs.length === 0) return [];
      return insert(definition, runs, transactionOf(opts));
    },
    async cancel(runId) {
      return store.runCancel({ runId: checkRunId(runId) });
    },
    async cancelJob(job) {
      const jobName = typeof job === 'string' ? job : (job as { name?: unknown } | null)?.name;
      if (typeof jobName !== 'string' || jobName === '') {
        throw new InvalidArgumentError('job', `must be a job definition or a job name, got ${describeValue(job)}.`);
      }
      return store.runCancelMany({ jobName });
    },
  };
}

/** The registered definition for `job`: it must be listed in the registry (by name). */
function requireJob(deps: ServiceDeps, job: unknown): JobDefinition<unknown> {
  const name = (job as { name?: unknown } | null | undefined)?.name;
  if (typeof job !== 'object' || job === null || typeof name !== 'string') {
    throw new InvalidArgumentError('job', `must be a job definition from defineJob(), got ${describeValue(job)}.`);
  }
  // By name, not identity: a second copy of the module (hot reload, two bundles) defines an equal
  // job, and the registered definition is the one workers will run.
  return deps.registry.require(name);
}

function scheduleTime(at: unknown): Date | { delay: number | string } {
  if (at instanceof Date) return checkDate(at, 'at');
  if (typeof at === 'object' && at !== null && 'delay' in at && Object.keys(at).length === 1) {
    checkDelay((at as { delay: unknown }).delay, 'at.delay');
    return at as { delay: number | string };
  }
  throw new InvalidArgumentError('at', `must be a Date or { delay }, got ${describeValue(at)}.`);
}

function checkRunId(runId: unknown): string {
  if (typeof runId !== 'string' || runId.trim() === '') {
    throw new InvalidArgumentError('runId', `must be a non-empty string, got ${describeValue(runId)}.`);
  }
  return runId;
}

function transactionOf(opts: unknown): unknown {
  return typeof opts === 'object' && opts !== null ? (opts as EnqueueOptions).transaction : undefined;
}

/**
 * Checks options and payload and builds the run to insert. Origin: `schedule` for a delayed run
 * (`delay`/`runAt` given), `enqueue` otherwise, unless the caller names one.
 */
export async function prepareRun(
  deps: ServiceDeps,
  job: JobDefinition<unknown>,
  payload: unknown,
  opts: unknown,
  argument: string,
  origin: RunOrigin | undefined,
  payloadArgument = 'payload',
): Promise<NewRun> {
  const checked = checkEnqueueOptions(opts, deps.clock, argument);
  let payloadJson: string;
  try {
    await validatePayload(job, payload);
    payloadJson = serializePayload(job.name, payload, { maxBytes: deps.options.payloadMaxBytes });
  } catch (error) {
    throw locatePayloadError(error, payloadArgument);
  }
  return {
    jobName: job.name,
    payloadJson,
    queue: checked.queue ?? job.queue,
    priority: checked.priority ?? job.priority,
    maxAttempts: job.maxAttempts,
    runAt: checked.runAt,
    key: checked.key,
    keyConflict: checked.keyConflict,
    origin: origin ?? (checked.runAt === null ? 'enqueue' : 'schedule'),
    metadata: checked.metadata,
  };
}

/** In a batch, says which item's payload failed (`items[3].payload`); the path stays within the payload. */
function locatePayloadError(error: unknown, payloadArgument: string): unknown {
  if (!(error instanceof PayloadError) || payloadArgument === 'payload') return error;
  const prefix = `Payload of job "${error.jobName}" at ${error.path}: `;
  const detail = error.message.startsWith(prefix) ? error.message.slice(prefix.length) : error.message;
  return new PayloadError(error.jobName, error.path, `${detail} (in ${payloadArgument})`);
}
