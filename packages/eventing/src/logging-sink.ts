import type { DurablyEvent, DurablyEventType, EventSink } from '@durably/core';
import { pino } from 'pino';
import { describeRunError, type ErrorDetailOptions } from './describe-run-error.js';

type LogMethod = (fields: Record<string, unknown>, message: string) => void;

/** The logger the logging sink writes to: the shape of a pino logger, so a pino instance fits as it is. */
export interface EventLogger {
  debug: LogMethod;
  info: LogMethod;
  warn: LogMethod;
  error: LogMethod;
}

/** A log level, or `silent` to leave an event type out of the log. */
export type EventLogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent';

/** What {@link createLoggingSink} takes. Every field is optional. */
export interface LoggingSinkOptions {
  /** Where to log. Default: a new `pino({ name: 'durably' })` writing JSON lines to stdout. */
  logger?: EventLogger;
  /**
   * Log error messages and stacks, not only the error type. Default `true`: logs stay in your own
   * infrastructure, and "why did it fail" is the first thing they must answer. (The ingestion
   * sink, which sends events elsewhere, defaults to `false`.)
   */
  includeErrorDetail?: boolean;
  /** Most characters of an error message or stack logged. Default 4096. */
  maxErrorDetailLength?: number;
  /** Per-event-type level overrides, e.g. `{ job_started: 'info', worker_heartbeat: 'silent' }`. */
  levels?: Partial<Record<DurablyEventType, EventLogLevel>>;
}

/** A log line derived from one event. */
interface LogEntry {
  level: Exclude<EventLogLevel, 'silent'>;
  message: string;
  fields: Record<string, unknown>;
}

/**
 * Creates a sink that writes each event as one structured log line with the fields `event`,
 * `runId`, `jobName`, `queue`, `attempt`, `workerName`, and where they apply `outcome`,
 * `durationMs`, `delayMs` and `error` (`{ type, message?, stack? }`).
 *
 * Default levels: `job_claimed`, `job_started`, `worker_heartbeat` → debug; `job_succeeded`,
 * `retry_scheduled`, `job_retried`, `job_cancelled`, `job_skipped` → info; `lease_lost` and a
 * `job_failed` that will be retried → warn; a terminal `job_failed` → error.
 *
 * @example
 * import { pino } from 'pino';
 * const bus = createEventBus({ sinks: [createLoggingSink({ logger: pino() })] });
 */
export function createLoggingSink(options: LoggingSinkOptions = {}): EventSink {
  const logger = options.logger ?? pino({ name: 'durably' });
  const detail: ErrorDetailOptions = {
    includeErrorDetail: options.includeErrorDetail ?? true,
    maxErrorDetailLength: options.maxErrorDetailLength ?? 4096,
  };
  const overrides = options.levels ?? {};
  return {
    emit(event) {
      const entry = toLogEntry(event, detail);
      const level = overrides[event.type] ?? entry.level;
      if (level === 'silent') return;
      logger[level](entry.fields, entry.message);
    },
  };
}

type RunEvent = Exclude<DurablyEvent, { type: 'worker_heartbeat' }>;
type Describe<E> = (
  event: E,
  detail: ErrorDetailOptions,
) => Omit<LogEntry, 'fields'> & { extra: Record<string, unknown> };

/** Level, message and the fields beyond the common ones, per run event type. */
const describers: { [K in RunEvent['type']]: Describe<Extract<RunEvent, { type: K }>> } = {
  job_claimed: (e) => ({
    level: 'debug',
    message: 'job claimed',
    extra: { leaseExpiresAt: e.leaseExpiresAt },
  }),
  job_started: (e) => ({ level: 'debug', message: 'job started', extra: { scheduledFor: e.scheduledFor } }),
  job_succeeded: (e) => ({
    level: 'info',
    message: 'job succeeded',
    extra: { outcome: 'succeeded', durationMs: e.durationMs },
  }),
  job_failed: (e, detail) => ({
    level: e.terminal ? 'error' : 'warn',
    message: e.terminal ? 'job failed; no attempts left' : 'job attempt failed; a retry follows',
    extra: {
      outcome: e.terminal ? 'failed' : 'retrying',
      durationMs: e.durationMs,
      error: describeRunError(e.error, detail),
    },
  }),
  retry_scheduled: (e, detail) => ({
    level: 'info',
    message: 'retry scheduled',
    extra: { outcome: 'retry_scheduled', delayMs: e.delayMs, error: describeRunError(e.error, detail) },
  }),
  job_retried: (e) => ({
    level: 'info',
    message: 'job retried',
    extra: { previousStatus: e.previousStatus },
  }),
  job_cancelled: (e) => ({
    level: 'info',
    message: 'job cancelled',
    extra: { outcome: 'cancelled', durationMs: e.durationMs },
  }),
  job_skipped: (e) => ({
    level: 'info',
    message: 'recurring slot skipped: a previous run is still active',
    extra: { outcome: 'skipped', slotAt: e.slotAt },
  }),
  lease_lost: (e) => ({
    level: 'warn',
    message: 'lease lost',
    extra: { outcome: 'lease_lost', reason: e.reason },
  }),
};

function toLogEntry(event: DurablyEvent, detail: ErrorDetailOptions): LogEntry {
  if (event.type === 'worker_heartbeat') {
    const fields = { event: event.type, workerName: event.workerName, activeRuns: event.activeRuns };
    return { level: 'debug', message: 'worker heartbeat', fields };
  }
  const describe = describers[event.type] as Describe<RunEvent>;
  const { level, message, extra } = describe(event, detail);
  const { runId, jobName, queue, attempt, workerName } = event;
  return {
    level,
    message,
    fields: { event: event.type, runId, jobName, queue, attempt, workerName, ...extra },
  };
}
