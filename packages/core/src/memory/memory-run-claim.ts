import type { ClaimedRun, RunClaimParams } from '../store.js';
import { storeArguments } from '../store-arguments.js';
import { toRun, type MemoryContext, type StoredRun } from './memory-state.js';

/**
 * `runClaim` for the memory store: picks due `pending`/`waiting_retry` runs of the given jobs (and
 * queues), higher priority first, then earlier `runAt` (then older `createdAt`, then `runId`, so the
 * order is total), and leases them in the same synchronous step, so concurrent claimers in this
 * process never share a run. An empty `jobNames` (or `queues`) list matches nothing.
 * A claim clears the previous attempt's progress: progress belongs to one attempt.
 */
export function claimRuns(ctx: MemoryContext, params: RunClaimParams): ClaimedRun[] {
  storeArguments.positiveInteger(params.limit, 'limit');
  storeArguments.leaseDuration(params.leaseDurationMs, 'leaseDurationMs');
  const now = ctx.now();
  const jobNames = new Set(params.jobNames);
  const queues = params.queues === undefined ? undefined : new Set(params.queues);
  const due: StoredRun[] = [];
  for (const run of ctx.state.runs.values()) {
    if (run.status !== 'pending' && run.status !== 'waiting_retry') continue;
    if (run.runAt > now || !jobNames.has(run.jobName)) continue;
    if (queues !== undefined && !queues.has(run.queue)) continue;
    due.push(run);
  }
  due.sort(compareClaimOrder);
  const leaseExpiresAt = now + params.leaseDurationMs;
  return due.slice(0, params.limit).map((run) => {
    run.status = 'leased';
    run.leaseOwner = params.workerName;
    run.leaseExpiresAt = leaseExpiresAt;
    run.startedAt = now;
    run.attempt += 1;
    run.progressPercent = null;
    run.progressMessage = null;
    return { run: toRun(run), leaseExpiresAt: new Date(leaseExpiresAt) };
  });
}

function compareClaimOrder(a: StoredRun, b: StoredRun): number {
  return (
    b.priority - a.priority ||
    a.runAt - b.runAt ||
    a.createdAt - b.createdAt ||
    (a.runId < b.runId ? -1 : a.runId > b.runId ? 1 : 0)
  );
}
