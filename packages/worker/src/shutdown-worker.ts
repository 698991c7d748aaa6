import { claimFinish, abortAttempt, type ActiveAttempt } from './active-attempts.js';
import { reportFinish } from './report-finish.js';
import type { TrackedTimers } from './tracked-timers.js';
import type { WorkerRuntime } from './worker-runtime.js';

/** How long aborted handlers get to return before their runs are released anyway, in ms. */
export const defaultAbortWaitMs = 1_000;
/** How long shutdown waits for the store to record the last endings, in ms. */
const finishFlushTimeoutMs = 10_000;

/** The parts of shutdown that belong to the worker object (its loop, subscriptions and heartbeat). */
export interface ShutdownSteps {
  /** Stops claiming: unsubscribes, stops the loop and its timers, waits (at most `waitMs`) for an iteration in progress. */
  stopClaiming(waitMs: number): Promise<void>;
  /** Stops the heartbeat (called once no attempt needs its lease any more). */
  stopHeartbeat(): void;
}

/**
 * The graceful shutdown: stop claiming; hand prefetched runs that never started back at once
 * (`interrupted`: due now, no attempt spent); let in-flight attempts finish within `graceMs` (the
 * heartbeat keeps their leases alive meanwhile); then abort their signals (`shutdown`) and give
 * them `abortWaitMs` to return — a handler that throws then ends `interrupted`; one that still has
 * not returned is released as `interrupted` anyway, so another worker can claim the run at once
 * (it is due now, and the interruption is not counted against `maxAttempts`). Finally flush
 * endings, progress and log lines, deregister the worker and clear every timer.
 */
export async function shutdownWorker(
  rt: WorkerRuntime,
  steps: ShutdownSteps,
  options: { graceMs: number; abortWaitMs: number },
): Promise<void> {
  await steps.stopClaiming(options.graceMs);
  // Prefetched runs still waiting for a slot go back at once, without spending an attempt.
  for (const attempt of rt.active.list()) {
    if (!attempt.started) abortAttempt(attempt, 'shutdown');
  }
  if (!(await settlesWithin(rt.timers, rt.active.whenIdle(), options.graceMs))) {
    const remaining = rt.active.list();
    rt.logger.warn(
      { attempts: remaining.length, graceMs: options.graceMs },
      'shutdown grace period over; aborting attempts',
    );
    for (const attempt of remaining) abortAttempt(attempt, 'shutdown');
    if (!(await settlesWithin(rt.timers, rt.active.whenIdle(), options.abortWaitMs))) {
      for (const attempt of rt.active.list()) releaseAttempt(rt, attempt);
    }
  }
  if (!(await settlesWithin(rt.timers, rt.finisher.flush(), finishFlushTimeoutMs))) {
    const dropped = rt.finisher.abandon();
    rt.logger.error(
      { dropped },
      'shutdown could not record every attempt ending; those runs are recovered when their leases expire',
    );
  }
  if (!(await settlesWithin(rt.timers, rt.journal.close(), finishFlushTimeoutMs))) {
    rt.logger.warn({}, 'shutdown could not write the last progress and log lines');
  }
  steps.stopHeartbeat();
  await bestEffort(rt, 'deregistering the worker', () =>
    rt.store.workerRemove({ workerName: rt.settings.workerName }),
  );
}

/** Ends an attempt whose handler ignored the abort: `interrupted`, so the run is due again now. */
function releaseAttempt(rt: WorkerRuntime, attempt: ActiveAttempt): void {
  if (!claimFinish(attempt) || attempt.leaseLost) return;
  const logger = rt.logger.child({
    runId: attempt.run.runId,
    jobName: attempt.run.jobName,
    attempt: attempt.run.attempt,
  });
  logger.warn(
    {},
    'handler did not return after its signal was aborted; releasing the run for another worker',
  );
  const outcome = {
    type: 'interrupted' as const,
    error: { name: 'ShutdownError', message: 'The worker shut down before the handler returned.' },
  };
  void rt.finisher
    .submit({ ...attempt.ref, outcome }, () => attempt.leaseLost)
    .then((result) => {
      attempt.ended = true;
      reportFinish(rt, attempt, outcome, result, logger);
    })
    .catch((error: unknown) => logger.error({ err: error }, 'unexpected error releasing an attempt'));
}

/** Waits for `promise` at most `ms`; true when it settled in time. Leaves no timer behind. */
export async function settlesWithin(
  timers: TrackedTimers,
  promise: Promise<unknown>,
  ms: number,
): Promise<boolean> {
  let cancel: (() => void) | undefined;
  const timeout = new Promise<false>((resolve) => {
    cancel = timers.after(ms, () => resolve(false));
  });
  try {
    return await Promise.race([
      promise.then(
        () => true,
        () => true,
      ),
      timeout,
    ]);
  } finally {
    cancel?.();
  }
}

async function bestEffort(rt: WorkerRuntime, what: string, task: () => Promise<unknown>): Promise<void> {
  try {
    await task();
  } catch (error) {
    rt.logger.warn({ err: error }, `${what} failed during shutdown`);
  }
}
