import type { ActiveAttempt } from './active-attempts.js';
import type { WorkerRuntime } from './worker-runtime.js';

/** The fields every run event about an attempt shares, stamped with the worker's clock. */
export function eventBase(rt: WorkerRuntime, attempt: ActiveAttempt, at: Date = rt.clock.now()) {
  const { run } = attempt;
  return {
    at,
    workerName: rt.settings.workerName,
    runId: run.runId,
    jobName: run.jobName,
    queue: run.queue,
    attempt: run.attempt,
  };
}
