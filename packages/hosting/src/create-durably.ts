import {
  createClient,
  createJobRegistry,
  createRunQuery,
  createScheduleAdmin,
  loadOptions,
  syncSchedules,
  systemClock,
  type AnyJobDefinition,
  type Clock,
  type DurablyClient,
  type DurablyOptions,
  type DurablyStore,
  type EventSink,
  type Instrumentation,
  type JobRegistry,
  type ResolvedOptions,
  type RunQuery,
  type ScheduleAdmin,
  type ServiceDeps,
  type SyncReport,
} from '@durably/core';
import { createWorker, type ScopeFactory, type Worker, type WorkerLogger } from '@durably/worker';
import { pino } from 'pino';
import { createEventSink } from './create-event-sink.js';
import { handleSignals, type SignalProcess } from './handle-signals.js';

/** What {@link createDurably} takes: the store, the jobs, any option of `DurablyOptions`, and the runtime's parts. */
export interface CreateDurablyOptions extends DurablyOptions {
  /** Where runs live: `createMemoryStore()`, `createSqliteStore(...)`, `createPostgresStore(...)`, … */
  store: DurablyStore;
  /** Every job this process can enqueue or run, listed explicitly. */
  jobs: readonly AnyJobDefinition[];
  /** A JSON options file (lowest precedence after defaults). */
  configFile?: string;
  /**
   * Environment to read `DURABLY_*` variables from. Default `process.env` (hosting is the runner,
   * the one place that reads the environment); pass `{}` to ignore it. Options given in code win.
   */
  env?: NodeJS.ProcessEnv;
  /** A pino logger (or anything of its shape). Default `pino()` at level `info`. */
  logger?: WorkerLogger;
  /** Per-execution scope factory: its result is `ctx.scope`, disposed after each attempt. */
  createScope?: ScopeFactory;
  /**
   * Receives every lifecycle event. Default: none — unless `eventing.tenantId`/`clientSecret` are
   * set (events then go to the HTTP ingestion sink, and to this sink too when given).
   */
  events?: EventSink;
  /** More sinks, e.g. `[otel.events]`; all of them receive every event. Default: none. */
  eventSinks?: readonly EventSink[];
  /** Also log every event through `logger` (the pino logging sink of `@durably/eventing`). Default `false`. */
  logEvents?: boolean;
  /**
   * Tracing/metrics hooks, e.g. `createOtelInstrumentation()` from `@durably/otel`: the worker wraps
   * every attempt in `attempt`; the services receive it too. Default: none.
   */
  instrumentation?: Instrumentation;
  /**
   * Drain on SIGTERM/SIGINT, then exit the process (see `exitOnSignal`); a second signal during
   * the drain exits at once (code 130 for SIGINT, 143 for SIGTERM). Default `true`.
   */
  handleSignals?: boolean;
  /**
   * After a signal-triggered drain, exit the process with code 0 (1 when stopping failed). Default
   * `true`. With `false` the process is left to you: listen for the signal yourself and await
   * `durably.stop()` (the same drain) before closing what else you run.
   */
  exitOnSignal?: boolean;
  /**
   * Called on the first SIGTERM/SIGINT, before the drain: e.g. stop accepting HTTP requests
   * (`server.close()`). Awaited; an error is logged and the drain goes ahead. Default: none.
   */
  onSignal?: (signal: NodeJS.Signals) => void | Promise<void>;
  /** Run `store.migrate()` at startup. Default `true`. */
  migrate?: boolean;
  /** Start the worker at once (in `both`/`consumer` mode). Default `true`; tests pass `false` and `drain()`. */
  startWorker?: boolean;
  /** The application clock (relative delays, timeouts). Default: the system clock. */
  clock?: Clock;
  /** For tests of signal handling: the process object to listen on. Default `process`. */
  signalProcess?: SignalProcess;
}

/** A running Durably instance. */
export interface Durably {
  /** Enqueue, schedule and cancel runs. */
  readonly client: DurablyClient;
  /** Manage recurring schedules (enable/disable, re-cron, run now, preview). */
  readonly schedules: ScheduleAdmin;
  /** Query runs, attempts, logs and counts. */
  readonly runs: RunQuery;
  /** The worker, absent in `producer` mode. */
  readonly worker: Worker | undefined;
  readonly store: DurablyStore;
  readonly options: ResolvedOptions;
  readonly registry: JobRegistry;
  readonly logger: WorkerLogger;
  /** What registration sync did at startup (`undefined` in `producer` mode, which does not sync). */
  readonly syncReport: SyncReport | undefined;
  /** Starts the worker if `startWorker: false` was given (no-op in `producer` mode or when running). */
  start(): Promise<void>;
  /**
   * Stops the worker gracefully (`graceMs`, default `shutdownGraceSeconds`), removes the signal
   * handlers and closes the store (unless `closeStore: false`). Safe to call twice.
   */
  stop(options?: { graceMs?: number; closeStore?: boolean }): Promise<void>;
}

/**
 * The composition root: validates options (object > environment > JSON file > defaults) and job
 * definitions, migrates the store, syncs recurring schedules with the code, and starts the worker
 * unless `workerMode` is `producer`. Installs SIGTERM/SIGINT handling unless told not to.
 *
 * @example
 * const durably = await createDurably({
 *   store: createSqliteStore({ filename: 'jobs.db' }),
 *   jobs: [sendWelcome, nightlyReport],
 *   maxConcurrentRuns: 10,
 * });
 * await durably.client.enqueue(sendWelcome, { userId: 'u1' });
 */
export async function createDurably(input: CreateDurablyOptions): Promise<Durably> {
  const options = loadOptions({
    object: pickDurablyOptions(input),
    ...(input.configFile === undefined ? {} : { jsonFile: input.configFile }),
    env: input.env ?? process.env,
  });
  const registry = createJobRegistry(input.jobs, { payloadMaxBytes: options.payloadMaxBytes });
  const logger = input.logger ?? pino({ level: 'info' });
  const clock = input.clock ?? systemClock;
  const { store } = input;
  if (input.migrate ?? true) await store.migrate();
  // The client and run-now call `instrumentation.enqueue` around every insert (producer spans).
  const deps: ServiceDeps = { store, registry, options, clock, ...(input.instrumentation ? { instrumentation: input.instrumentation } : {}) };
  const runsWorker = options.workerMode !== 'producer';
  // A producer may define only the jobs it enqueues: syncing from it would disable the others'
  // schedules as orphans, so only processes that run jobs reconcile schedules.
  const syncReport = runsWorker ? await syncSchedules(deps) : undefined;
  if (syncReport) logger.info({ ...syncReport }, 'recurring schedules synced with the code');
  const events = runsWorker
    ? createEventSink({
        options,
        logger,
        clock,
        sinks: [...(input.events ? [input.events] : []), ...(input.eventSinks ?? [])],
        logEvents: input.logEvents ?? false,
      })
    : undefined;
  const worker = runsWorker
    ? createWorker({
        ...deps,
        logger,
        ...(events ? { events } : {}),
        ...(input.createScope ? { createScope: input.createScope } : {}),
      })
    : undefined;
  return assemble({ input, deps, worker, logger, syncReport });
}

function assemble(parts: {
  input: CreateDurablyOptions;
  deps: ServiceDeps;
  worker: Worker | undefined;
  logger: WorkerLogger;
  syncReport: SyncReport | undefined;
}): Promise<Durably> {
  const { input, deps, worker, logger } = parts;
  let stopping: Promise<void> | undefined;
  let removeSignals = () => {};
  const durably: Durably = {
    client: withPromptCancellation(createClient(deps), worker, logger),
    schedules: createScheduleAdmin(deps),
    runs: createRunQuery(deps),
    worker,
    store: deps.store,
    options: deps.options,
    registry: deps.registry,
    logger,
    syncReport: parts.syncReport,
    async start() {
      if (worker && worker.state === 'idle') await worker.start();
    },
    stop(options = {}) {
      stopping ??= (async () => {
        try {
          await worker?.stop(options.graceMs === undefined ? {} : { graceMs: options.graceMs });
          if (options.closeStore ?? true) await deps.store.close();
        } finally {
          // Only now: a second signal during the drain must still find the handler and exit at once.
          removeSignals();
        }
      })();
      return stopping;
    },
  };
  if (input.handleSignals ?? true) {
    removeSignals = handleSignals({
      shutdown: (signal) => drainOnSignal(durably, input, signal),
      onSecondSignal: (signal) => logger.warn({ signal }, 'second signal; exiting now'),
      exitOnSignal: input.exitOnSignal ?? true,
      ...(input.signalProcess ? { proc: input.signalProcess } : {}),
    });
  }
  const started = input.startWorker ?? true ? durably.start() : Promise.resolve();
  return started.then(() => durably);
}

/** The first signal: the application's `onSignal`, then the drain; logs how it ended and rethrows a failure. */
async function drainOnSignal(durably: Durably, input: CreateDurablyOptions, signal: NodeJS.Signals): Promise<void> {
  const { logger } = durably;
  logger.info({ signal, graceSeconds: durably.options.shutdownGraceSeconds }, 'signal received; draining');
  try {
    await input.onSignal?.(signal);
  } catch (error) {
    logger.error({ err: error }, 'onSignal failed; draining anyway');
  }
  try {
    await durably.stop();
  } catch (error) {
    logger.error({ err: error }, 'shutdown failed');
    throw error;
  }
  logger.info({ signal, exiting: input.exitOnSignal ?? true }, 'stopped cleanly');
}

/**
 * A running attempt notices a cancellation request at its worker's next heartbeat (every half
 * lease). When the request comes from this process and this process runs the attempt, check at
 * once instead, so `cancel()` aborts `ctx.signal` within milliseconds.
 */
function withPromptCancellation(client: DurablyClient, worker: Worker | undefined, logger: WorkerLogger): DurablyClient {
  if (!worker) return client;
  const checkNow = () => {
    if (worker.state !== 'running' && worker.state !== 'idle') return;
    worker.heartbeatOnce().catch((error: unknown) => logger.warn({ err: error }, 'prompt cancellation check failed'));
  };
  return {
    ...client,
    async cancel(runId) {
      const result = await client.cancel(runId);
      if (result.outcome === 'cancel_requested') checkNow();
      return result;
    },
    async cancelJob(job) {
      const result = await client.cancelJob(job);
      if (result.cancelRequested > 0) checkNow();
      return result;
    },
  };
}

const runtimeKeys = new Set([
  'store', 'jobs', 'configFile', 'env', 'logger', 'createScope', 'events', 'eventSinks', 'logEvents', 'instrumentation',
  'handleSignals', 'exitOnSignal', 'onSignal', 'migrate',
  'startWorker', 'clock', 'signalProcess',
]);

/** The `DurablyOptions` part of the input (the rest are runtime objects, not options). */
function pickDurablyOptions(input: CreateDurablyOptions): DurablyOptions {
  return Object.fromEntries(Object.entries(input).filter(([key]) => !runtimeKeys.has(key))) as DurablyOptions;
}
