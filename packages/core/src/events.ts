import type { RunError, RunStatus } from './model.js';

interface RunEventBase {
  at: Date;
  workerName: string;
  runId: string;
  jobName: string;
  queue: string;
  attempt: number;
}

/**
 * Every event the runtime emits. Names follow the reference (`job_succeeded` style). Sinks
 * (`@durably/eventing`) subscribe; a sink can never slow or break execution.
 */
export type DurablyEvent =
  | (RunEventBase & { type: 'job_claimed'; leaseExpiresAt: Date })
  | (RunEventBase & { type: 'job_started'; scheduledFor: Date })
  | (RunEventBase & { type: 'job_succeeded'; durationMs: number })
  | (RunEventBase & { type: 'job_failed'; durationMs: number; error: RunError; terminal: boolean })
  | (RunEventBase & { type: 'retry_scheduled'; delayMs: number; error: RunError })
  | (RunEventBase & { type: 'job_retried'; previousStatus: RunStatus })
  | (RunEventBase & { type: 'job_cancelled'; durationMs: number | null })
  | (RunEventBase & { type: 'job_skipped'; slotAt: Date })
  | (RunEventBase & { type: 'lease_lost'; reason: 'expired' | 'fenced' })
  | { type: 'worker_heartbeat'; at: Date; workerName: string; activeRuns: number };

export type DurablyEventType = DurablyEvent['type'];

/** Receives events. Must not throw; a throw is caught and counted, never propagated. */
export interface EventSink {
  emit(event: DurablyEvent): void;
  /** Flushes buffered events (called on shutdown). */
  flush?(): Promise<void>;
}

export const noopEventSink: EventSink = { emit() {} };
