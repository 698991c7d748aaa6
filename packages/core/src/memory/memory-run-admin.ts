import { RunKeyConflictError } from '../errors.js';
import { isTerminalStatus, type Run } from '../model.js';
import type { RunCancelResult } from '../store.js';
import { storeArguments } from '../store-arguments.js';
import { notifyDue } from './memory-run-insert.js';
import { isActiveStatus } from './memory-run-status.js';
import { deleteRunRecords, toRun, type MemoryContext, type StoredRun } from './memory-state.js';

/**
 * `runCancel` for the memory store. `pending`/`waiting_retry` → `cancelled` now (`finishedAt` = now;
 * `cancelRequestedAt` stays null: it records a request to an active attempt); `leased` →
 * `cancelRequestedAt` = now (a repeated request keeps the first time) and outcome
 * `cancel_requested`; finished → `already_finished`, unchanged.
 */
export function cancelRun(ctx: MemoryContext, runId: string): RunCancelResult {
  const run = ctx.state.runs.get(runId);
  if (!run) return { outcome: 'not_found' };
  const outcome = cancelStoredRun(run, ctx.now());
  return { outcome, run: toRun(run) };
}

function cancelStoredRun(run: StoredRun, now: number): Exclude<RunCancelResult['outcome'], 'not_found'> {
  if (run.status === 'leased') {
    run.cancelRequestedAt ??= now;
    return 'cancel_requested';
  }
  if (run.status === 'pending' || run.status === 'waiting_retry') {
    run.status = 'cancelled';
    run.finishedAt = now;
    return 'cancelled';
  }
  return 'already_finished';
}

/** `runCancelMany`: cancels every active run of one job, as `runCancel` does. */
export function cancelJobRuns(ctx: MemoryContext, jobName: string): { cancelled: number; cancelRequested: number } {
  const now = ctx.now();
  const counts = { cancelled: 0, cancelRequested: 0 };
  for (const run of ctx.state.runs.values()) {
    if (run.jobName !== jobName || !isActiveStatus(run.status)) continue;
    if (cancelStoredRun(run, now) === 'cancelled') counts.cancelled += 1;
    else counts.cancelRequested += 1;
  }
  return counts;
}

/**
 * `runRetry` for the memory store: a finished run becomes `pending`, due now, with
 * `maxAttempts = max(maxAttempts, attempt + 1)`; `finishedAt`, the lease and any cancellation
 * request are cleared; `origin`, `scheduledFor`, `lastError` and the attempt history are kept.
 * An active run is returned unchanged. A run whose key is now held by another active run of the
 * same job is not retried: `RunKeyConflictError` (keys stay unique among active runs).
 */
export function retryRun(ctx: MemoryContext, runId: string): Run | undefined {
  const run = ctx.state.runs.get(runId);
  if (!run) return undefined;
  if (!isTerminalStatus(run.status)) return toRun(run);
  const holder = run.key === null ? undefined : findOtherActiveWithKey(ctx, run);
  if (holder && run.key !== null) {
    throw new RunKeyConflictError(run.jobName, run.key, holder.runId, 'another active run now has this key, so this run cannot be retried');
  }
  const now = ctx.now();
  run.status = 'pending';
  run.runAt = now;
  run.maxAttempts = Math.max(run.maxAttempts, run.attempt + 1);
  run.finishedAt = null;
  run.leaseOwner = null;
  run.leaseExpiresAt = null;
  run.cancelRequestedAt = null;
  notifyDue(ctx, [run], now);
  return toRun(run);
}

function findOtherActiveWithKey(ctx: MemoryContext, run: StoredRun): StoredRun | undefined {
  for (const other of ctx.state.runs.values()) {
    if (other.runId !== run.runId && other.jobName === run.jobName && other.key === run.key && isActiveStatus(other.status)) {
      return other;
    }
  }
  return undefined;
}

/**
 * `runDeleteFinished`: deletes up to `limit` terminal runs whose `finishedAt` is strictly before
 * `now - olderThanMs`, oldest first, with their attempts and logs. Returns how many it deleted.
 */
export function deleteFinishedRuns(ctx: MemoryContext, params: { olderThanMs: number; limit: number }): number {
  storeArguments.duration(params.olderThanMs, 'olderThanMs');
  storeArguments.positiveInteger(params.limit, 'limit');
  const cutoff = ctx.now() - params.olderThanMs;
  const doomed = [...ctx.state.runs.values()]
    .filter((run) => isTerminalStatus(run.status) && run.finishedAt !== null && run.finishedAt < cutoff)
    .sort((a, b) => (a.finishedAt ?? 0) - (b.finishedAt ?? 0))
    .slice(0, params.limit);
  for (const run of doomed) deleteRunRecords(ctx.state, run.runId);
  return doomed.length;
}
