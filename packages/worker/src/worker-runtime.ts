import type { Clock, DurablyStore, EventSink, Instrumentation, JobContext, JobRegistry } from '@durably/core';
import type { ActiveAttempts } from './active-attempts.js';
import type { EmitEvent } from './event-emitter.js';
import type { ExecutionSlots } from './execution-slots.js';
import type { FinishBatcher } from './finish-batcher.js';
import type { RunJournal } from './run-journal.js';
import type { TrackedTimers } from './tracked-timers.js';
import type { WorkerLogger } from './worker-logger.js';
import type { WorkerSettings } from './worker-settings.js';

/**
 * Creates the per-execution scope of an attempt (the counterpart of the reference's
 * `ScopedPerExecution`): called after the context is built and before the handler, its result is
 * `ctx.scope`. If it has `Symbol.asyncDispose`, `Symbol.dispose` or a `dispose()` method, that is
 * called after the attempt, whatever its outcome.
 */
export type ScopeFactory = (ctx: JobContext) => unknown;

/** The parts of a worker its pieces share; built once by `createWorker`. */
export interface WorkerRuntime {
  readonly store: DurablyStore;
  readonly registry: JobRegistry;
  readonly settings: WorkerSettings;
  readonly clock: Clock;
  readonly logger: WorkerLogger;
  readonly emit: EmitEvent;
  /**
   * Whether any sink receives events. When none does, the per-run events (claimed, started,
   * succeeded) are not even built: three objects per run that only the garbage collector saw.
   */
  readonly emitsEvents: boolean;
  /** The sink behind `emit`, kept for its `flush()` at shutdown. */
  readonly events: EventSink;
  readonly journal: RunJournal;
  readonly finisher: FinishBatcher;
  readonly timers: TrackedTimers;
  readonly active: ActiveAttempts;
  /** `maxConcurrentRuns` slots; prefetched attempts wait here for one. */
  readonly slots: ExecutionSlots;
  readonly random: () => number;
  readonly createScope: ScopeFactory | undefined;
  /** Tracing/metrics hooks (`@durably/otel`); `attempt` wraps every execution. */
  readonly instrumentation: Instrumentation | undefined;
}
