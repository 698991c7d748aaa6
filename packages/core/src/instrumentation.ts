import type { Run } from './model.js';

/**
 * Hooks that tracing/metrics integrations (`@durably/otel`) plug into. Core knows no telemetry
 * library: the client calls `enqueue` around inserts, the worker calls `attempt` around each
 * execution. Every hook is optional; a hook that throws is caught and ignored, never breaking a job.
 */
export interface Instrumentation {
  /**
   * Called by the client before runs are inserted. The returned `metadata` (e.g. W3C
   * `traceparent`) is stored with every run of the call; `end` is called once the insert settled.
   */
  enqueue?(info: EnqueueInfo): EnqueueSpan;
  /**
   * Wraps one attempt: must call `execute()` exactly once and return (or rethrow) its result.
   * `info.metadata` is the run's stored metadata, so trace context from enqueue can be restored.
   */
  attempt?<T>(info: AttemptInfo, execute: () => Promise<T>): Promise<T>;
}

export interface EnqueueInfo {
  jobName: string;
  queue: string;
  /** Number of runs in the call (bulk enqueue). */
  count: number;
  /** `enqueue`, `schedule` (delayed), `run-now`, … */
  origin: string;
}

export interface EnqueueSpan {
  metadata?: Record<string, string>;
  end(result: { runIds: string[] } | { error: unknown }): void;
}

export interface AttemptInfo {
  runId: string;
  jobName: string;
  queue: string;
  attempt: number;
  maxAttempts: number;
  scheduledFor: Date;
  startedAt: Date;
  workerName: string;
  metadata: Readonly<Record<string, string>>;
  /** `cron` for recurring slots, `enqueue`, `schedule`, `run-now`, … */
  origin: string;
}

/**
 * What `Instrumentation.attempt` learns about a claimed run's attempt. `startedAt` defaults to the
 * run's `startedAt` (set by the claim).
 */
export function attemptInfoOf(run: Run, worker: { workerName: string; startedAt?: Date }): AttemptInfo {
  return {
    runId: run.runId,
    jobName: run.jobName,
    queue: run.queue,
    attempt: run.attempt,
    maxAttempts: run.maxAttempts,
    scheduledFor: run.scheduledFor,
    startedAt: run.startedAt ?? worker.startedAt ?? new Date(),
    workerName: worker.workerName,
    metadata: run.metadata,
    origin: run.origin,
  };
}
