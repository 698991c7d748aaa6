import {
  noopEventSink,
  systemClock,
  type Clock,
  type DurablyStore,
  type EventSink,
  type Instrumentation,
  type JobRegistry,
  type ResolvedOptions,
} from '@durably/core';
import { createActiveAttempts } from './active-attempts.js';
import { drainWorker } from './drain-worker.js';
import { createEventEmitter } from './event-emitter.js';
import { createExecutionSlots } from './execution-slots.js';
import { createFinishBatcher } from './finish-batcher.js';
import { createLeaseKeeper } from './lease-keeper.js';
import { computePollDelayMs } from './poll-delay.js';
import { createPollLoop } from './poll-loop.js';
import { repeatEvery } from './repeat-every.js';
import { sweepFinishedRuns } from './retention-sweeper.js';
import { createRunJournal } from './run-journal.js';
import { defaultAbortWaitMs, settlesWithin, shutdownWorker } from './shutdown-worker.js';
import { createTrackedTimers } from './tracked-timers.js';
import type { Worker, WorkerState } from './worker.js';
import { createWorkerIteration } from './worker-iteration.js';
import { silentLogger, type WorkerLogger } from './worker-logger.js';
import { beatWorker } from './worker-registration.js';
import type { ScopeFactory, WorkerRuntime } from './worker-runtime.js';
import { finishBatchSize, workerSettingsFrom } from './worker-settings.js';

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
  /** Tracing/metrics hooks, e.g. `createOtelInstrumentation()`; `attempt` wraps every execution. Default: none. */
  instrumentation?: Instrumentation;
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
    emitsEvents: events !== noopEventSink,
    events,
    journal,
    finisher: createFinishBatcher({ store: input.store, journal, logger, timers, maxBatch: finishBatchSize }),
    timers,
    active: createActiveAttempts(() => onAttemptRemoved()),
    slots: createExecutionSlots(settings.maxConcurrentRuns),
    random: input.random ?? Math.random,
    createScope: input.createScope,
    instrumentation: input.instrumentation,
  };
  const engine = createEngine(rt);
  onAttemptRemoved = engine.attemptRemoved;
  return engine.worker;
}

function createEngine(rt: WorkerRuntime) {
  const { settings, logger } = rt;
  const leaseKeeper = createLeaseKeeper(rt);
  let state: WorkerState = 'idle';
  const isClaiming = () => state === 'idle' || state === 'running';
  const iteration = createWorkerIteration(rt, isClaiming);
  const stopTimers: (() => void)[] = [];
  let unsubscribe: (() => void) | undefined;
  let stopping: Promise<void> | undefined;

  const loop = createPollLoop({
    timers: rt.timers,
    iterate: (quick) =>
      iteration.run({ quick }).then((result) => ({ again: result.again, failed: result.errors.length > 0 })),
    pollDelayMs: () =>
      computePollDelayMs({
        pollIntervalMs: settings.pollIntervalMs,
        jitterRatio: settings.pollJitterRatio,
        random: rt.random,
      }),
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
    const logFailure = (what: string) => (error: unknown) =>
      logger.warn({ err: error }, `${what} failed; retrying`);
    await beat().catch(logFailure('registering the worker'));
    unsubscribe = rt.store.subscribeWork?.((event) => {
      if (!event.queue || !settings.queues || settings.queues.includes(event.queue)) loop.wake();
    });
    loop.start();
    leaseKeeper.start();
    stopTimers.push(
      repeatEvery(rt.timers, settings.heartbeatIntervalMs, beat, logFailure('worker heartbeat')),
    );
    stopTimers.push(
      repeatEvery(
        rt.timers,
        settings.sweepIntervalMs,
        () => sweepFinishedRuns(rt),
        logFailure('retention sweep'),
      ),
    );
    logger.info({ queues: settings.queues ?? 'all', jobs: rt.registry.names.length }, 'worker started');
  }

  async function stopClaiming(waitMs: number): Promise<void> {
    unsubscribe?.();
    unsubscribe = undefined;
    for (const stop of stopTimers.splice(0)) stop();
    // An iteration stuck on an unresponsive database must not hold shutdown forever; runs its
    // claim returns after this are released at once (see claimRuns).
    const loopStopped = loop.stop().then(() => iteration.settled());
    if (!(await settlesWithin(rt.timers, loopStopped, waitMs))) {
      logger.warn({ waitMs }, 'a loop iteration is still waiting for the store; shutting down without it');
    }
  }

  function stop(options: { graceMs?: number; abortWaitMs?: number } = {}): Promise<void> {
    if (stopping) return stopping;
    state = 'stopping';
    const graceMs = options.graceMs ?? settings.shutdownGraceMs;
    stopping = shutdownWorker(
      rt,
      { stopClaiming, stopHeartbeat: () => leaseKeeper.stop() },
      {
        graceMs,
        abortWaitMs: options.abortWaitMs ?? defaultAbortWaitMs,
      },
    )
      .catch((error: unknown) => logger.error({ err: error }, 'unexpected error during shutdown'))
      .then(() => rt.events.flush?.())
      .catch((error: unknown) =>
        logger.warn({ err: error }, 'flushing the event sink failed during shutdown'),
      )
      .finally(() => {
        rt.timers.clearAll();
        state = 'stopped';
        logger.info({}, 'worker stopped');
      });
    return stopping;
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
      return iteration.run();
    },
    drain: (options) => drainWorker(rt, iteration, () => assertUsable('drain'), options),
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
      if (iteration.saturated && state === 'running') loop.wake();
    },
  };
}
