import type { DurablyEvent, RunError } from '@durably/core';

const at = new Date('2026-01-01T00:00:00Z');
const base = (index: number) => ({
  at,
  workerName: 'worker-1',
  runId: `run-${index}`,
  jobName: 'email.send',
  queue: 'default',
  attempt: 1,
});

/** A `job_succeeded` event for run `run-<index>`. */
export function succeededEvent(index: number): DurablyEvent {
  return { ...base(index), type: 'job_succeeded', durationMs: 12 };
}

/** A `job_failed` event for run `run-<index>`. */
export function failedEvent(index: number, error: RunError, terminal = true): DurablyEvent {
  return { ...base(index), type: 'job_failed', durationMs: 40, error, terminal };
}

/** `count` succeeded events for runs `run-0` … */
export function succeededEvents(count: number): DurablyEvent[] {
  return Array.from({ length: count }, (_, index) => succeededEvent(index));
}
