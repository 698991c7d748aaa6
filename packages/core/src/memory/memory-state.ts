import type {
  Attempt,
  LogLevel,
  Run,
  RunError,
  RunOrigin,
  RunStatus,
  Schedule,
  WorkerInfo,
} from '../model.js';
import { parsePayloadJson } from '../payload/parse-payload-json.js';
import type { WorkAvailableEvent } from '../store.js';

/**
 * A run as the memory store keeps it: times as epoch milliseconds and the payload as JSON text, so
 * no caller ever holds a reference into the store (every read builds fresh objects).
 */
export interface StoredRun {
  runId: string;
  jobName: string;
  payloadJson: string;
  status: RunStatus;
  queue: string;
  priority: number;
  attempt: number;
  maxAttempts: number;
  runAt: number;
  scheduledFor: number;
  createdAt: number;
  startedAt: number | null;
  finishedAt: number | null;
  leaseOwner: string | null;
  leaseExpiresAt: number | null;
  cancelRequestedAt: number | null;
  key: string | null;
  origin: RunOrigin;
  slotAt: number | null;
  lastError: RunError | null;
  progressPercent: number | null;
  progressMessage: string | null;
  metadata: Record<string, string>;
}

/** A log line as the memory store keeps it (`at` in epoch milliseconds). */
export interface StoredLogLine {
  runId: string;
  attempt: number;
  at: number;
  level: LogLevel;
  message: string;
  /** Append order; breaks ties between lines with the same `at` (like an identity column). */
  sequence: number;
}

/** A schedule as the memory store keeps it (times in epoch milliseconds, payload as JSON text). */
export interface StoredSchedule {
  jobName: string;
  cron: string;
  timeZone: string;
  enabled: boolean;
  allowConcurrentRuns: boolean;
  payloadJson: string;
  nextRunAt: number | null;
  lastSlotAt: number | null;
  lastRunId: string | null;
  lastError: string | null;
  updatedBy: 'code' | 'admin';
  createdAt: number;
  updatedAt: number;
}

/** A worker record as the memory store keeps it (times in epoch milliseconds). */
export interface StoredWorker {
  workerName: string;
  queues: string[] | null;
  startedAt: number;
  lastSeenAt: number;
  activeRuns: number;
}

/** Everything the memory store holds. Maps keep insertion order, which nothing relies on. */
export interface MemoryState {
  runs: Map<string, StoredRun>;
  attempts: Map<string, Attempt[]>;
  logs: Map<string, StoredLogLine[]>;
  schedules: Map<string, StoredSchedule>;
  workers: Map<string, StoredWorker>;
  nextLogSequence: number;
}

/** What each memory-store operation works with: the state, the clock and the wake-up channel. */
export interface MemoryContext {
  readonly state: MemoryState;
  /** The store's now, in epoch milliseconds (from the injected clock). */
  now(): number;
  /** Tells subscribers that work may be due. */
  notify(event: WorkAvailableEvent): void;
}

/** An empty state: no runs, schedules or workers. */
export function createMemoryState(): MemoryState {
  return {
    runs: new Map(),
    attempts: new Map(),
    logs: new Map(),
    schedules: new Map(),
    workers: new Map(),
    nextLogSequence: 1,
  };
}

function toDate(ms: number): Date;
function toDate(ms: number | null): Date | null;
function toDate(ms: number | null): Date | null {
  return ms === null ? null : new Date(ms);
}

/** Copies an error record (so callers never share one with the store). */
export function copyError(error: RunError | null | undefined): RunError | null {
  if (!error) return null;
  return error.stack === undefined
    ? { name: error.name, message: error.message }
    : { name: error.name, message: error.message, stack: error.stack };
}

/** Builds the public `Run` from a stored run: fresh objects, parsed payload. */
export function toRun(stored: StoredRun): Run {
  return {
    runId: stored.runId,
    jobName: stored.jobName,
    payload: parsePayloadJson(stored.payloadJson),
    status: stored.status,
    queue: stored.queue,
    priority: stored.priority,
    attempt: stored.attempt,
    maxAttempts: stored.maxAttempts,
    runAt: toDate(stored.runAt),
    scheduledFor: toDate(stored.scheduledFor),
    createdAt: toDate(stored.createdAt),
    startedAt: toDate(stored.startedAt),
    finishedAt: toDate(stored.finishedAt),
    leaseOwner: stored.leaseOwner,
    leaseExpiresAt: toDate(stored.leaseExpiresAt),
    cancelRequestedAt: toDate(stored.cancelRequestedAt),
    key: stored.key,
    origin: stored.origin,
    slotAt: toDate(stored.slotAt),
    lastError: copyError(stored.lastError),
    progressPercent: stored.progressPercent,
    progressMessage: stored.progressMessage,
    metadata: { ...stored.metadata },
  };
}

/** Builds the public `Schedule` from a stored one: fresh objects, parsed payload. */
export function toSchedule(stored: StoredSchedule): Schedule {
  return {
    jobName: stored.jobName,
    cron: stored.cron,
    timeZone: stored.timeZone,
    enabled: stored.enabled,
    allowConcurrentRuns: stored.allowConcurrentRuns,
    payload: parsePayloadJson(stored.payloadJson),
    nextRunAt: toDate(stored.nextRunAt),
    lastSlotAt: toDate(stored.lastSlotAt),
    lastRunId: stored.lastRunId,
    lastError: stored.lastError,
    updatedBy: stored.updatedBy,
    createdAt: toDate(stored.createdAt),
    updatedAt: toDate(stored.updatedAt),
  };
}

/** Builds the public `WorkerInfo` from a stored worker record. */
export function toWorkerInfo(stored: StoredWorker): WorkerInfo {
  return {
    workerName: stored.workerName,
    queues: stored.queues ? [...stored.queues] : null,
    startedAt: toDate(stored.startedAt),
    lastSeenAt: toDate(stored.lastSeenAt),
    activeRuns: stored.activeRuns,
  };
}

/** Copies an attempt record (fresh Dates and error). */
export function toAttempt(attempt: Attempt): Attempt {
  return {
    ...attempt,
    startedAt: new Date(attempt.startedAt.getTime()),
    finishedAt: new Date(attempt.finishedAt.getTime()),
    error: copyError(attempt.error),
  };
}

/** Appends the record of an ended attempt. */
export function recordAttempt(state: MemoryState, attempt: Attempt): void {
  const list = state.attempts.get(attempt.runId);
  if (list) list.push(attempt);
  else state.attempts.set(attempt.runId, [attempt]);
}

/** Removes a run with its attempts and logs. */
export function deleteRunRecords(state: MemoryState, runId: string): boolean {
  state.attempts.delete(runId);
  state.logs.delete(runId);
  return state.runs.delete(runId);
}

/** The fence: a write on behalf of an attempt applies only while that attempt holds the lease. */
export function isFenceHeld(run: StoredRun, ref: { workerName: string; attempt: number }): boolean {
  return (
    run.status === 'leased' &&
    run.leaseOwner === ref.workerName &&
    run.attempt === ref.attempt
  );
}
