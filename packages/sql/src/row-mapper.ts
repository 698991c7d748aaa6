import type {
  Attempt,
  LogLevel,
  Run,
  RunError,
  RunLogLine,
  RunOrigin,
  RunStatus,
  Schedule,
  WorkerInfo,
} from '@durably/core';
import type { SqlDialectAdapter } from './sql-dialect-adapter.js';

type Row = Record<string, unknown>;

/** Converts database rows to the model's records, through the dialect's type conversions. */
export interface RowMapper {
  run(row: Row): Run;
  attempt(row: Row): Attempt;
  logLine(row: Row): RunLogLine;
  schedule(row: Row): Schedule;
  worker(row: Row): WorkerInfo;
}

/** Creates the row mapper of one dialect. */
export function createRowMapper(adapter: SqlDialectAdapter): RowMapper {
  const time = (value: unknown): Date | null =>
    value === null || value === undefined ? null : adapter.readTime(value);
  const requiredTime = (value: unknown): Date => adapter.readTime(value);
  const json = (value: unknown): unknown =>
    value === null || value === undefined ? null : adapter.readJson(value);
  const int = (value: unknown): number => adapter.readInteger(value);
  return {
    run: (row) => ({
      runId: String(row.id),
      jobName: row.job_name as string,
      payload: json(row.payload),
      status: row.status as RunStatus,
      queue: row.queue as string,
      priority: int(row.priority),
      attempt: int(row.attempt),
      maxAttempts: int(row.max_attempts),
      runAt: requiredTime(row.run_at),
      scheduledFor: requiredTime(row.scheduled_for),
      createdAt: requiredTime(row.created_at),
      startedAt: time(row.started_at),
      finishedAt: time(row.finished_at),
      leaseOwner: (row.lease_owner as string | null) ?? null,
      leaseExpiresAt: time(row.lease_expires_at),
      cancelRequestedAt: time(row.cancel_requested_at),
      key: (row.run_key as string | null) ?? null,
      origin: row.origin as RunOrigin,
      slotAt: time(row.slot_at),
      lastError: json(row.last_error) as RunError | null,
      progressPercent:
        row.progress_percent === null || row.progress_percent === undefined
          ? null
          : Number(row.progress_percent),
      progressMessage: (row.progress_message as string | null) ?? null,
      metadata: (json(row.metadata) as Record<string, string> | null) ?? {},
    }),
    attempt: (row) => ({
      runId: String(row.run_id),
      attempt: int(row.attempt),
      workerName: row.worker_name as string,
      startedAt: requiredTime(row.started_at),
      finishedAt: requiredTime(row.finished_at),
      outcome: row.outcome as Attempt['outcome'],
      error: json(row.error) as RunError | null,
    }),
    logLine: (row) => ({
      runId: String(row.run_id),
      attempt: int(row.attempt),
      at: requiredTime(row.at),
      level: row.level as LogLevel,
      message: row.message as string,
    }),
    schedule: (row) => ({
      jobName: row.job_name as string,
      cron: row.cron as string,
      timeZone: row.time_zone as string,
      enabled: adapter.readBool(row.enabled),
      allowConcurrentRuns: adapter.readBool(row.allow_concurrent_runs),
      payload: json(row.payload),
      nextRunAt: time(row.next_run_at),
      lastSlotAt: time(row.last_slot_at),
      lastRunId: row.last_run_id === null || row.last_run_id === undefined ? null : String(row.last_run_id),
      lastError: (row.last_error as string | null) ?? null,
      updatedBy: row.updated_by as 'code' | 'admin',
      createdAt: requiredTime(row.created_at),
      updatedAt: requiredTime(row.updated_at),
    }),
    worker: (row) => ({
      workerName: row.worker_name as string,
      queues: json(row.queues) as string[] | null,
      startedAt: requiredTime(row.started_at),
      lastSeenAt: requiredTime(row.last_seen_at),
      activeRuns: int(row.active_runs),
    }),
  };
}
