/**
 * The run model.
 *
 * Glossary
 * - **job**: a named definition in code (`defineJob`): handler, payload type, retry policy, optional
 *   recurring schedule. The name is its stable identity in the store.
 * - **run**: one requested execution of a job (an enqueue, a delayed schedule, a cron slot, a
 *   run-now). Its `runId` is stable across retries; enqueue returns it and cancel takes it.
 * - **attempt**: one execution of a run by one worker. `attempt` counts claims, so it rises at claim
 *   time; every attempt that ends is recorded with its outcome.
 * - **lease**: a worker's time-limited ownership of a run's current attempt. The worker extends it by
 *   heartbeat; when it expires the run can be claimed again.
 * - **slot**: one occurrence of a recurring schedule (a cron instant). A slot becomes at most one run.
 *
 * Run statuses (see docs/run-lifecycle.md for the diagram):
 * ```
 *   pending ──claim──▶ leased ──success──▶ succeeded
 *      ▲                 │ ├──failure, attempts left──▶ waiting_retry ──due──▶ (claimable)
 *      │                 │ ├──failure, none left / NonRetryableError──▶ failed
 *      │                 │ └──cancel requested──▶ cancelled
 *      └──snooze / shutdown release / lease expired (attempts left)──┘
 *   pending | waiting_retry ──cancel──▶ cancelled
 *   (cron slot of a non-concurrent job while another run is active) ──▶ skipped
 * ```
 */

/** Every status a run can have. */
export const runStatuses = [
  'pending',
  'leased',
  'waiting_retry',
  'succeeded',
  'failed',
  'cancelled',
  'skipped',
] as const;
export type RunStatus = (typeof runStatuses)[number];

/** Statuses from which a run can still execute. */
export const activeRunStatuses = ['pending', 'leased', 'waiting_retry'] as const satisfies readonly RunStatus[];
/** Statuses a run never leaves. */
export const terminalRunStatuses = [
  'succeeded',
  'failed',
  'cancelled',
  'skipped',
] as const satisfies readonly RunStatus[];

export function isTerminalStatus(status: RunStatus): boolean {
  return (terminalRunStatuses as readonly RunStatus[]).includes(status);
}

/** Why a run exists. */
export type RunOrigin = 'enqueue' | 'schedule' | 'cron' | 'run-now' | 'retry-manual';

/** Error information stored with a failed attempt. */
export interface RunError {
  name: string;
  message: string;
  stack?: string;
}

/** One run as stored. Times are the store's clock. */
export interface Run {
  runId: string;
  jobName: string;
  /** The payload as stored (parsed JSON). */
  payload: unknown;
  status: RunStatus;
  queue: string;
  /** Higher runs first. Default 0. */
  priority: number;
  /** Number of claims so far; the attempt in progress when `status` is `leased`. */
  attempt: number;
  /** Attempts allowed in total, including the first. A snooze raises it by one. */
  maxAttempts: number;
  /** When the run is (or was) due. */
  runAt: Date;
  /** The time the run was requested for: the enqueue time, the delayed time or the cron slot. */
  scheduledFor: Date;
  createdAt: Date;
  /** Start of the current or last attempt. */
  startedAt: Date | null;
  finishedAt: Date | null;
  leaseOwner: string | null;
  leaseExpiresAt: Date | null;
  /** Set when cancellation of the active attempt was requested. */
  cancelRequestedAt: Date | null;
  /** Idempotency key, unique among active runs of the same job. */
  key: string | null;
  origin: RunOrigin;
  /** The cron slot this run was materialised for. */
  slotAt: Date | null;
  lastError: RunError | null;
  progressPercent: number | null;
  progressMessage: string | null;
  /** Correlation ids, trace context and other string pairs. */
  metadata: Record<string, string>;
}

/** How an attempt ended. */
export type AttemptOutcome =
  | 'succeeded'
  | 'failed'
  | 'retry_scheduled'
  | 'snoozed'
  | 'cancelled'
  | 'interrupted'
  | 'lease_expired';

/** One ended attempt of a run. */
export interface Attempt {
  runId: string;
  attempt: number;
  workerName: string;
  startedAt: Date;
  finishedAt: Date;
  outcome: AttemptOutcome;
  error: RunError | null;
}

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

/** One log line written by a handler through `ctx.log`. */
export interface RunLogLine {
  runId: string;
  attempt: number;
  at: Date;
  level: LogLevel;
  message: string;
}

/** A recurring schedule as stored: the store's copy of a recurring job definition. */
export interface Schedule {
  /** The job name; one schedule per job. */
  jobName: string;
  /** Cron expression (5 or 6 fields) or natural form (`every 5 minutes`). */
  cron: string;
  /** IANA zone id. */
  timeZone: string;
  enabled: boolean;
  allowConcurrentRuns: boolean;
  /** Payload given to every run of the schedule (parsed JSON). */
  payload: unknown;
  /** Next slot to materialise; null when disabled or paused by an error. */
  nextRunAt: Date | null;
  lastSlotAt: Date | null;
  lastRunId: string | null;
  /** Why the schedule is paused, when computing its next slot failed. */
  lastError: string | null;
  /** Who changed the stored definition last. */
  updatedBy: 'code' | 'admin';
  createdAt: Date;
  updatedAt: Date;
}

/** A worker process as last seen by the store. */
export interface WorkerInfo {
  workerName: string;
  queues: string[] | null;
  startedAt: Date;
  lastSeenAt: Date;
  activeRuns: number;
}
