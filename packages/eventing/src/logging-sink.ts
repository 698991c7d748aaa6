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

function toLogEntry(event: DurablyEvent, detail: ErrorDetailOptions): LogEntry {
  if (event.type === 'worker_heartbeat') {
    const fields = { event: event.type, workerName: event.workerName, activeRuns: event.activeRuns };
    return { level: 'debug', message: 'worker heartbeat', fields };
  }
  const base = {
    event: event.type,
    runId: event.runId,
    jobName: event.jobName,
    queue: event.queue,
    attempt: event.attempt,
    workerName: event.workerName,
  };
  switch (event.type) {
    case 'job_claimed':
      return {
        level: 'debug',
        message: 'job claimed',
        fields: { ...base, leaseExpiresAt: event.leaseExpiresAt },
      };
    case 'job_started':
      return {
        level: 'debug',
        message: 'job started',
        fields: { ...base, scheduledFor: event.scheduledFor },
      };
    case 'job_succeeded':
      return {
        level: 'info',
        message: 'job succeeded',
        fields: { ...base, outcome: 'succeeded', durationMs: event.durationMs },
      };
    case 'job_failed': {
      const fields = {
        ...base,
        outcome: event.terminal ? 'failed' : 'retrying',
        durationMs: event.durationMs,
      };
      const error = describeRunError(event.error, detail);
      return event.terminal
        ? { level: 'error', message: 'job failed; no attempts left', fields: { ...fields, error } }
        : { level: 'warn', message: 'job attempt failed; a retry follows', fields: { ...fields, error } };
    }
    case 'retry_scheduled': {
      const fields = {
        ...base,
        outcome: 'retry_scheduled',
        delayMs: event.delayMs,
        error: describeRunError(event.error, detail),
      };
      return { level: 'info', message: 'retry scheduled', fields };
    }
    case 'job_retried':
      return {
        level: 'info',
        message: 'job retried',
        fields: { ...base, previousStatus: event.previousStatus },
      };
    case 'job_cancelled':
      return {
        level: 'info',
        message: 'job cancelled',
        fields: { ...base, outcome: 'cancelled', durationMs: event.durationMs },
      };
    case 'job_skipped':
      return {
        level: 'info',
        message: 'recurring slot skipped: a previous run is still active',
        fields: { ...base, outcome: 'skipped', slotAt: event.slotAt },
      };
    case 'lease_lost':
      return {
        level: 'warn',
        message: 'lease lost',
        fields: { ...base, outcome: 'lease_lost', reason: event.reason },
      };
  }
}
