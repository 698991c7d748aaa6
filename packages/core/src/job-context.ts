import type { LogLevel } from './model.js';

/** A structured logger given to handlers; the hosting package binds it to pino. */
export interface JobLogger {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

/**
 * What a handler receives next to its payload. A handler steers its own run with explicit calls:
 * `throw new NonRetryableError(...)`, `ctx.snooze(...)`, `ctx.retryAt(...)`, `ctx.requestCancellation()`.
 */
export interface JobContext {
  readonly runId: string;
  readonly jobName: string;
  /** 1 for the first attempt. */
  readonly attempt: number;
  readonly maxAttempts: number;
  /** The time the run was requested for (enqueue time, delayed time or cron slot). */
  readonly scheduledFor: Date;
  readonly startedAt: Date;
  /** Aborted on cancellation, lease loss, timeout and shutdown; pass it to your I/O. */
  readonly signal: AbortSignal;
  readonly metadata: Readonly<Record<string, string>>;
  /** A logger bound to this run (runId, jobName, attempt). */
  readonly logger: JobLogger;
  /** The per-execution scope from the user's scope factory (`undefined` without one). */
  readonly scope: unknown;
  /** Reports progress (0–100); buffered and written in batches. */
  progress(percent: number, message?: string): void;
  /** Adds a log line to the run's history (at most 1 000 are kept per run). */
  log(message: string, level?: LogLevel): void;
  /** Asks for this run to end as cancelled: aborts `signal`; the run ends `cancelled` when the handler returns. */
  requestCancellation(): void;
  /**
   * Ends this attempt without spending it: when the handler returns, the run is due again after
   * `delay` (milliseconds or a duration string such as `"5m"`).
   */
  snooze(delay: number | string): void;
  /** When the handler then throws, retry at `time` instead of after the policy's delay. */
  retryAt(time: Date): void;
}
