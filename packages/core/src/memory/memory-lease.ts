import type { RunError } from '../model.js';
import type { LeaseExtendParams, LeaseExtendResult, LeaseReapExpiredParams, ReapedRun } from '../store.js';
import { storeArguments } from '../store-arguments.js';
import { notifyDue } from './memory-run-insert.js';
import { isFenceHeld, recordAttempt, type MemoryContext, type StoredRun } from './memory-state.js';

/**
 * `leaseExtend` for the memory store. An attempt whose lease has expired but was not reaped yet is
 * still its owner's and is extended: nobody else can have claimed it (pinned by the suite).
 */
export function extendLeases(ctx: MemoryContext, params: LeaseExtendParams): LeaseExtendResult {
  storeArguments.leaseDuration(params.leaseDurationMs, 'leaseDurationMs');
  const now = ctx.now();
  const leaseExpiresAt = now + params.leaseDurationMs;
  const result: LeaseExtendResult = { extended: [], lost: [], cancelRequested: [], leaseExpiresAt: new Date(leaseExpiresAt) };
  for (const ref of params.attempts) {
    const run = ctx.state.runs.get(ref.runId);
    if (!run || !isFenceHeld(run, { workerName: params.workerName, attempt: ref.attempt })) {
      result.lost.push(ref.runId);
      continue;
    }
    run.leaseExpiresAt = leaseExpiresAt;
    result.extended.push(run.runId);
    if (run.cancelRequestedAt !== null) result.cancelRequested.push(run.runId);
  }
  return result;
}

/**
 * `leaseReapExpired` for the memory store: `leased` runs with `leaseExpiresAt <= now`, oldest expiry
 * first. A cancellation request wins (→ `cancelled`); otherwise a run that used all its attempts is a
 * poison pill (→ `failed`); otherwise it is `pending` and due now. The lost attempt is recorded as
 * `lease_expired` and the run's `lastError` says so, with the error name `LeaseExpiredError`.
 */
export function reapExpiredLeases(ctx: MemoryContext, params: LeaseReapExpiredParams): ReapedRun[] {
  storeArguments.positiveInteger(params.limit, 'limit');
  const now = ctx.now();
  const expired = [...ctx.state.runs.values()]
    .filter((run) => run.status === 'leased' && run.leaseExpiresAt !== null && run.leaseExpiresAt <= now)
    .sort((a, b) => (a.leaseExpiresAt ?? 0) - (b.leaseExpiresAt ?? 0))
    .slice(0, params.limit);
  const reaped = expired.map((run) => reapOne(ctx, run, now));
  notifyDue(ctx, expired, now);
  return reaped;
}

function reapOne(ctx: MemoryContext, run: StoredRun, now: number): ReapedRun {
  const workerName = run.leaseOwner ?? '';
  const error: RunError = {
    name: 'LeaseExpiredError',
    message: `Attempt ${run.attempt} lost its lease: worker "${workerName}" stopped extending it (crashed or stalled).`,
  };
  recordAttempt(ctx.state, {
    runId: run.runId,
    attempt: run.attempt,
    workerName,
    startedAt: new Date(run.startedAt ?? now),
    finishedAt: new Date(now),
    outcome: 'lease_expired',
    error: { ...error },
  });
  const status = run.cancelRequestedAt !== null ? 'cancelled' : run.attempt >= run.maxAttempts ? 'failed' : 'pending';
  run.status = status;
  run.leaseOwner = null;
  run.leaseExpiresAt = null;
  run.lastError = error;
  if (status === 'pending') {
    run.runAt = now;
    run.finishedAt = null;
  } else {
    run.finishedAt = now;
  }
  return { runId: run.runId, jobName: run.jobName, attempt: run.attempt, workerName, status };
}
