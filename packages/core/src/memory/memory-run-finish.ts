import type { AttemptOutcome } from '../model.js';
import type { FinishOutcome, RunFinish, RunFinishManyParams, RunFinishResult } from '../store.js';
import { storeArguments } from '../store-arguments.js';
import { notifyDue } from './memory-run-insert.js';
import { copyError, isFenceHeld, recordAttempt, type MemoryContext, type StoredRun } from './memory-state.js';

const attemptOutcomes: Record<FinishOutcome['type'], AttemptOutcome> = {
  succeeded: 'succeeded',
  failed: 'failed',
  retry: 'retry_scheduled',
  snoozed: 'snoozed',
  cancelled: 'cancelled',
  interrupted: 'interrupted',
};

/**
 * `runFinishMany` for the memory store. Each finish applies only while its attempt holds the lease
 * (the fence); the others report `applied: false` with the run's current status.
 *
 * Decisions the contract left open (pinned by the conformance suite):
 * - A run whose cancellation was requested ends `cancelled` when its attempt reports `retry`,
 *   `snoozed` or `interrupted` (cancellation wins over running again); the attempt is recorded as
 *   `cancelled` with the reported error. `succeeded` and `failed` are kept as reported.
 * - `finishedAt` is set for terminal outcomes and cleared otherwise; the lease is cleared; a
 *   cancellation request is kept as a record when the run ends `cancelled`, cleared otherwise;
 *   progress is kept.
 * - `lastError` is set by outcomes that carry an error and otherwise kept (a run that succeeded on
 *   its second attempt still shows why the first failed).
 */
export function finishRuns(ctx: MemoryContext, params: RunFinishManyParams): RunFinishResult[] {
  params.finishes.forEach((finish, index) =>
    storeArguments.finishOutcome(finish.outcome, `finishes[${index}].outcome`),
  );
  const now = ctx.now();
  const madeDue: StoredRun[] = [];
  const results = params.finishes.map((finish): RunFinishResult => {
    const run = ctx.state.runs.get(finish.runId);
    if (!run || !isFenceHeld(run, finish)) {
      return run
        ? { runId: finish.runId, applied: false, status: run.status }
        : { runId: finish.runId, applied: false };
    }
    applyFinish(ctx, run, finish, now);
    if (run.status === 'pending' || run.status === 'waiting_retry') madeDue.push(run);
    return { runId: run.runId, applied: true, status: run.status };
  });
  notifyDue(ctx, madeDue, now);
  return results;
}

function applyFinish(ctx: MemoryContext, run: StoredRun, finish: RunFinish, now: number): void {
  let outcome = finish.outcome;
  const cancelWins =
    run.cancelRequestedAt !== null && ['retry', 'snoozed', 'interrupted'].includes(outcome.type);
  if (cancelWins) outcome = { type: 'cancelled', error: 'error' in outcome ? outcome.error : undefined };
  const error = 'error' in outcome ? (outcome.error ?? null) : null;
  recordAttempt(ctx.state, {
    runId: run.runId,
    attempt: run.attempt,
    workerName: finish.workerName,
    startedAt: new Date(run.startedAt ?? now),
    finishedAt: new Date(now),
    outcome: attemptOutcomes[outcome.type],
    error: copyError(error),
  });
  run.leaseOwner = null;
  run.leaseExpiresAt = null;
  if (error) run.lastError = copyError(error);
  applyStatus(run, outcome, now);
  // The request is kept as a record on a cancelled run; any other ending consumes it.
  if (run.status !== 'cancelled') run.cancelRequestedAt = null;
}

function applyStatus(run: StoredRun, outcome: FinishOutcome, now: number): void {
  run.finishedAt = null;
  switch (outcome.type) {
    case 'succeeded':
    case 'failed':
    case 'cancelled':
      run.status = outcome.type;
      run.finishedAt = now;
      return;
    case 'retry':
      run.status = 'waiting_retry';
      run.runAt = dueAt(outcome, now);
      return;
    case 'snoozed':
      run.status = 'pending';
      run.runAt = dueAt(outcome, now);
      run.maxAttempts += 1;
      return;
    case 'interrupted':
      run.status = 'pending';
      run.runAt = now;
      run.maxAttempts += 1;
      return;
  }
}

function dueAt(outcome: { delayMs: number; runAt?: Date }, now: number): number {
  return outcome.runAt === undefined ? now + outcome.delayMs : outcome.runAt.getTime();
}
