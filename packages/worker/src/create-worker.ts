import {
  noopEventSink,
  systemClock,
  type Clock,
  type CronSchedule,
  type DurablyStore,
  type EventSink,
  type JobRegistry,
  type ResolvedOptions,
} from '@durably/core';
import { createActiveAttempts } from './active-attempts.js';
import { claimRuns } from './claim-runs.js';
import { createEventEmitter } from './event-emitter.js';
import { createFinishBatcher } from './finish-batcher.js';
import { createLeaseKeeper } from './lease-keeper.js';
import { materializeSchedules } from './materialize-schedules.js';
import { computePollDelayMs } from './poll-delay.js';
import { createPollLoop } from './poll-loop.js';
import { createLeaseReaper } from './reap-expired-leases.js';
import { repeatEvery } from './repeat-every.js';
import { sweepFinishedRuns } from './retention-sweeper.js';
import { createRunJournal } from './run-journal.js';
import { defaultAbortWaitMs, shutdownWorker } from './shutdown-worker.js';
import { createTrackedTimers } from './tracked-timers.js';
import type { DrainResult, IterationResult, Worker, WorkerState } from './worker.js';
import { silentLogger, type WorkerLogger } from './worker-logger.js';
import { beatWorker } from './worker-registration.js';
import type { ScopeFactory, WorkerRuntime } from './worker-runtime.js';
import { workerSettingsFrom } from './worker-settings.js';

/** What {@link createWorker} takes. */
export interface CreateWorkerOptions {
  store: DurablyStore;
  /** The jobs this worker runs (`createJobRegistry`). Runs of other jobs are never claimed. */
  registry: JobRegistry;
  /** Resolved options (`resolveOptions` / `loadOptions`). */
  options: ResolvedOptions;
  /** Source of "now" for durations, timeouts, log timestamps and rate limits. Default: the system clock. */
  clock?: Clock;
  /** Receives every lifecycle event. Default: none. */
  events?: EventSink;
  /** Where the worker logs (a pino logger fits). Default: silent. */
  logger?: WorkerLogger;
  /** Per-execution scope factory; its result is `ctx.scope`, disposed after the attempt. */
  createScope?: ScopeFactory;
  /** Uniform random in [0, 1) for poll and retry jitter. Default `Math.random`. */
  random?: () => number;
}

/**
 * Creates the runtime loop that turns stored runs into executions. Nothing runs until `start()`;
 * tests can instead drive it step by step (`runOnce`, `drain`, `heartbeatOnce`, `sweepOnce`) with a
 * fake clock, without timers.
 *
 * @example
 * const worker = createWorker({ store, registry: createJobRegistry([sendWelcome]), options: resolveOptions() });
 * await worker.start();
 * // … on shutdown:
 * await worker.stop({ graceMs: 30_000 });
 */
export function createWorker(input: CreateWorkerOptions): Worker {
  const settings = workerSettingsFrom(input.options);
  const logger = (input.logger ?? silentLogger).child({ workerName: settings.workerName });
  const timers = createTrackedTimers();
  const clock = input.clock ?? systemClock;
  const events = input.events ?? noopEventSink;
  const journal = createRunJournal({
    store: input.store,
    clock,
    logger,
    timers,
    flushIntervalMs: settings.logFlushIntervalMs,
    flushBatchSize: settings.logFlushBatchSize,
    maxLinesPerRun: settings.maxLogLinesPerRun,
  });
  let onAttemptRemoved = () => {};
  const rt: WorkerRuntime = {
    store: input.store,
    registry: input.registry,
    settings,
    clock,
    logger,
    emit: createEventEmitter(events, logger),
    events,
    journal,
    finisher: createFinishBatcher({ store: input.store, journal, logger, timers }),
    timers,
    active: createActiveAttempts(() => onAttemptRemoved()),
    random: input.random ?? Math.random,
    createScope: input.createScope,
  };
  const engine = createEngine(rt);
  onAttemptRemoved = engine.attemptRemoved;
  return engine.worker;
}

function createEngine(rt: WorkerRuntime) {
  const { settings, logger } = rt;
  const cronCache = new Map<string, CronSchedule>();
  const reaper = createLeaseReaper(rt);
  const leaseKeeper = createLeaseKeeper(rt);
  let state: WorkerState = 'idle';
  let saturated = false;
  let chain: Promise<unknown> = Promise.resolve();
  const stopTimers: (() => void)[] = [];
  let unsubscribe: (() => void) | undefined;
  let stopping: Promise<void> | undefined;

  async function iterate(): Promise<IterationResult> {
    const errors: unknown[] = [];
    const step = async <T>(what: string, task: () => Promise<T>): Promise<T | undefined> => {
      try {
        return await task();
      } catch (error) {
        errors.push(error);
        logger.error({ err: error }, `${what} failed; the loop backs off and tries again`);
        return undefined;
      }
    };
    const materialized = await step('materialising recurring slots', () => materializeSchedules(rt, cronCache));
    await step('reaping expired leases', () => reaper.reapIfDue());
    const claim = state === 'stopping' || state === 'stopped' ? undefined : await step('claiming runs', () => claimRuns(rt));
    saturated = claim !== undefined && (claim.saturated || claim.full);
    const free = settings.maxConcurrentRuns - rt.active.size;
    return {
      materialized: materialized?.materialized ?? 0,
      claimed: claim?.claimed ?? 0,
      errors,
      again:
        errors.length === 0 &&
        ((materialized !== undefined && (materialized.full || materialized.materialized > 0)) ||
          (claim !== undefined && claim.full && free > 0)),
    };
  }

  /** Iterations never overlap, whether they come from the loop or from `runOnce`/`drain`. */
  function serialIterate(): Promise<IterationResult> {
    const next = chain.then(iterate);
    chain = next.catch(() => undefined);
    return next;
  }

  const loop = createPollLoop({
    timers: rt.timers,
    iterate: () => serialIterate().then((result) => ({ again: result.again, failed: result.errors.length > 0 })),
    pollDelayMs: () =>
      computePollDelayMs({ pollIntervalMs: settings.pollIntervalMs, jitterRatio: settings.pollJitterRatio, random: rt.random }),
  });

  function assertUsable(what: string): void {
    if (state === 'stopping' || state === 'stopped') {
      throw new Error(`Cannot ${what}: the worker is ${state}. Create a new worker to run jobs again.`);
    }
  }

  async function start(): Promise<void> {
    assertUsable('start');
    if (state === 'running') return;
    state = 'running';
    const startedAt = rt.clock.now();
    const beat = () => beatWorker(rt, startedAt);
    const logFailure = (what: string) => (error: unknown) => logger.warn({ err: error }, `${what} failed; retrying`);
    await beat().catch(logFailure('registering the worker'));
    unsubscribe = rt.store.subscribeWork?.((event) => {
      if (!event.queue || !settings.queues || settings.queues.includes(event.queue)) loop.wake();
    });
    loop.start();
    leaseKeeper.start();
    stopTimers.push(repeatEvery(rt.timers, settings.heartbeatIntervalMs, beat, logFailure('worker heartbeat')));
    stopTimers.push(
      repeatEvery(rt.timers, settings.sweepIntervalMs, () => sweepFinishedRuns(rt), logFailure('retention sweep')),
    );
    logger.info({ queues: settings.queues ?? 'all', jobs: rt.registry.names.length }, 'worker started');
  }

  async function stopClaiming(): Promise<void> {
    unsubscribe?.();
    unsubscribe = undefined;
    for (const stop of stopTimers.splice(0)) stop();
    await loop.stop();
    await chain;
  }

  function stop(options: { graceMs?: number; abortWaitMs?: number } = {}): Promise<void> {
    if (stopping) return stopping;
    state = 'stopping';
    const graceMs = options.graceMs ?? settings.shutdownGraceMs;
    stopping = shutdownWorker(rt, { stopClaiming, stopHeartbeat: () => leaseKeeper.stop() }, {
      graceMs,
      abortWaitMs: options.abortWaitMs ?? defaultAbortWaitMs,
    })
      .catch((error: unknown) => logger.error({ err: error }, 'unexpected error during shutdown'))
      .then(() => rt.events.flush?.())
      .catch((error: unknown) => logger.warn({ err: error }, 'flushing the event sink failed during shutdown'))
      .finally(() => {
        rt.timers.clearAll();
        state = 'stopped';
        logger.info({}, 'worker stopped');
      });
    return stopping;
  }

  async function drain(options: { maxIterations?: number } = {}): Promise<DrainResult> {
    const maxIterations = options.maxIterations ?? 10_000;
    let runs = 0;
    for (let iteration = 1; iteration <= maxIterations; iteration += 1) {
      assertUsable('drain');
      const result = await serialIterate();
      if (result.errors.length > 0) throw result.errors[0];
      runs += result.claimed;
      await rt.active.whenIdle();
      await rt.finisher.flush();
      await rt.journal.flush();
      if (result.claimed === 0 && result.materialized === 0) return { runs, iterations: iteration };
    }
    throw new Error(`drain() gave up after ${maxIterations} iterations: runs keep becoming due (a job that re-enqueues itself with no delay?).`);
  }

  const worker: Worker = {
    get workerName() {
      return settings.workerName;
    },
    get state() {
      return state;
    },
    get activeRuns() {
      return rt.active.size;
    },
    get pendingTimers() {
      return rt.timers.size;
    },
    start,
    stop,
    async runOnce() {
      assertUsable('runOnce');
      return serialIterate();
    },
    drain,
    heartbeatOnce: () => leaseKeeper.beat(),
    sweepOnce: () => sweepFinishedRuns(rt),
    whenIdle: () => rt.active.whenIdle(),
    async flush() {
      await rt.finisher.flush();
      await rt.journal.flush();
    },
  };

  return {
    worker,
    attemptRemoved() {
      if (saturated && state === 'running') {
        saturated = false;
        loop.wake();
      }
    },
  };
}
