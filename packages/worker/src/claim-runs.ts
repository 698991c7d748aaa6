import type { ClaimedRun } from '@durably/core';
import { abortAttempt, type ActiveAttempt } from './active-attempts.js';
import { eventBase } from './event-base.js';
import { executeAttempt, notStartedError } from './execute-attempt.js';
import type { WorkerRuntime } from './worker-runtime.js';

/** What one claim did. `full`: it got as many runs as it asked for, so more are probably due. */
export interface ClaimOutcome {
  requested: number;
  claimed: number;
  full: boolean;
  /** No capacity was free: the worker is saturated (wake it when an attempt ends). */
  saturated: boolean;
}

/**
 * How many runs a claim may take now: free execution slots (`maxConcurrentRuns` minus handlers
 * still running) plus room in the prefetch buffer (`prefetchRuns` minus attempts waiting for a
 * slot), further bounded so that attempts tracked here — running, waiting, or settled with their
 * ending not yet written — never exceed `maxConcurrentRuns + prefetchRuns + maxPendingFinishes`.
 * That last bound stops claiming while the store is too slow (or down) to write endings, instead
 * of piling them up. A prefetch buffer is refilled only once it is half empty, so a busy worker
 * claims many runs per statement rather than one per freed slot.
 */
export function claimCapacity(rt: WorkerRuntime): number {
  const { maxConcurrentRuns, prefetchRuns, maxPendingFinishes } = rt.settings;
  if (prefetchRuns > 0 && rt.slots.waiting > prefetchRuns / 2) return 0;
  const slots = maxConcurrentRuns + prefetchRuns - rt.active.executing;
  const room = maxConcurrentRuns + prefetchRuns + maxPendingFinishes - rt.active.size;
  return Math.max(0, Math.min(slots, room));
}

/**
 * Claims due runs up to free capacity — `min(batchSize, claimCapacity)` — for the jobs
 * this worker defines (a run of a job it does not know is never claimed, so it is neither dropped
 * nor retried in a tight loop) and the queues it serves, then starts executing each. Store errors
 * propagate to the loop, which backs off.
 */
export async function claimRuns(
  rt: WorkerRuntime,
  isClaiming: () => boolean = () => true,
): Promise<ClaimOutcome> {
  const limit = Math.min(rt.settings.batchSize, claimCapacity(rt));
  if (limit <= 0) return { requested: 0, claimed: 0, full: false, saturated: true };
  if (rt.registry.names.length === 0) return { requested: 0, claimed: 0, full: false, saturated: false };
  const claimed = await rt.store.runClaim({
    workerName: rt.settings.workerName,
    limit,
    leaseDurationMs: rt.settings.leaseDurationMs,
    jobNames: rt.registry.names,
    ...(rt.settings.queues ? { queues: rt.settings.queues } : {}),
  });
  if (!isClaiming()) {
    // The worker began shutting down while this claim was in flight: hand the runs straight back.
    for (const entry of claimed) releaseUnstarted(rt, entry);
    return { requested: limit, claimed: 0, full: false, saturated: false };
  }
  for (const entry of claimed) {
    try {
      startAttempt(rt, entry);
    } catch (error) {
      // Cannot happen while the store honours `jobNames`; if it does, the lease expires and the
      // run is recovered, instead of the other claimed runs being left unstarted.
      rt.logger.error(
        { err: error, runId: entry.run.runId, jobName: entry.run.jobName },
        'could not start a claimed run',
      );
    }
  }
  return { requested: limit, claimed: claimed.length, full: claimed.length >= limit, saturated: false };
}

/** Tracks a claimed run as an active attempt and starts executing it (not awaited). */
export function startAttempt(rt: WorkerRuntime, claimed: ClaimedRun): ActiveAttempt {
  const { run } = claimed;
  const definition = rt.registry.require(run.jobName);
  // The store hands a run out again only after its previous lease expired, so an older attempt of
  // the same run still running here has lost its lease, whatever its heartbeat last said.
  const previous = rt.active.holding(run.runId);
  if (previous) markLeaseLost(rt, previous);
  const attempt: ActiveAttempt = {
    ref: { runId: run.runId, workerName: rt.settings.workerName, attempt: run.attempt },
    run,
    definition,
    controller: undefined,
    onAbort: undefined,
    requests: { snoozeDelayMs: undefined, retryAt: undefined, cancellationRequested: false },
    startedAtMs: rt.clock.now().getTime(),
    deadlineAtMs: undefined,
    started: false,
    abortCause: undefined,
    leaseLost: false,
    finishClaimed: false,
    ended: false,
    settled: false,
  };
  if (rt.emitsEvents) {
    const base = eventBase(rt, attempt);
    rt.emit({ ...base, type: 'job_claimed', leaseExpiresAt: claimed.leaseExpiresAt });
    if (run.attempt > 1) {
      rt.emit({ ...base, type: 'job_retried', previousStatus: run.lastError ? 'waiting_retry' : 'pending' });
    }
  }
  rt.active.add(attempt, executeAttempt(rt, attempt));
  return attempt;
}

/** Records that the store no longer lets this worker own the attempt, and aborts its signal. */
export function markLeaseLost(rt: WorkerRuntime, attempt: ActiveAttempt): void {
  if (attempt.leaseLost) return;
  attempt.leaseLost = true;
  abortAttempt(attempt, 'lease_lost');
  rt.logger.warn(
    { runId: attempt.run.runId, jobName: attempt.run.jobName, attempt: attempt.run.attempt },
    'lease lost: aborting the attempt; its ending will not be recorded',
  );
  rt.emit({ ...eventBase(rt, attempt), type: 'lease_lost', reason: 'expired' });
}

/** Ends a claimed run that never started as `interrupted`: due again now, the attempt not counted. */
function releaseUnstarted(rt: WorkerRuntime, claimed: ClaimedRun): void {
  const { run } = claimed;
  const ref = { runId: run.runId, workerName: rt.settings.workerName, attempt: run.attempt };
  void rt.finisher
    .submit({ ...ref, outcome: { type: 'interrupted', error: notStartedError } }, () => false)
    .then((result) =>
      rt.logger.info(
        { runId: run.runId, applied: result?.applied },
        'released a run claimed during shutdown',
      ),
    )
    .catch((failure: unknown) =>
      rt.logger.error({ err: failure }, 'releasing a run claimed during shutdown failed'),
    );
}
