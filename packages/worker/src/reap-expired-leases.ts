import type { ReapedRun } from '@durably/core';
import type { WorkerRuntime } from './worker-runtime.js';

/** Most expired leases handled per reap call. */
const reapLimit = 100;

/**
 * Recovers runs whose worker died or stalled past its lease: with attempts left they become due now,
 * a poison pill (no attempts left) becomes `failed`, a run with a cancellation request `cancelled`.
 * Every worker reaps, at most once per `heartbeatIntervalMs` on its clock, so recovery takes at most
 * about a lease and a half after a crash without every loop iteration paying for the query.
 */
export function createLeaseReaper(rt: WorkerRuntime): { reapIfDue(): Promise<ReapedRun[]> } {
  let lastReapAtMs = Number.NEGATIVE_INFINITY;
  return {
    async reapIfDue() {
      const now = rt.clock.now().getTime();
      if (now - lastReapAtMs < rt.settings.heartbeatIntervalMs) return [];
      lastReapAtMs = now;
      const reaped = await rt.store.leaseReapExpired({ limit: reapLimit });
      for (const run of reaped) report(rt, run);
      return reaped;
    },
  };
}

function report(rt: WorkerRuntime, run: ReapedRun): void {
  const base = {
    at: rt.clock.now(),
    // The event is about the attempt of the worker that lost the lease.
    workerName: run.workerName,
    runId: run.runId,
    jobName: run.jobName,
    queue: rt.registry.get(run.jobName)?.queue ?? 'default',
    attempt: run.attempt,
  };
  const fields = { runId: run.runId, jobName: run.jobName, attempt: run.attempt, lostBy: run.workerName, status: run.status };
  rt.logger.warn(fields, 'recovered a run whose lease expired');
  rt.emit({ ...base, type: 'lease_lost', reason: 'expired' });
  if (run.status === 'failed') {
    const error = {
      name: 'LeaseExpiredError',
      message: `Attempt ${run.attempt} of job "${run.jobName}" lost its lease (worker ${run.workerName} died or stalled) and no attempts are left.`,
    };
    rt.emit({ ...base, type: 'job_failed', durationMs: 0, error, terminal: true });
  } else if (run.status === 'cancelled') {
    rt.emit({ ...base, type: 'job_cancelled', durationMs: null });
  }
}
