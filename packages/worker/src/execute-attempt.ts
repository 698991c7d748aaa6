import {
  attemptInfoOf,
  computeRetryDelayMs,
  validatePayload,
  type AttemptInfo,
  type FinishOutcome,
} from '@durably/core';
import { abortAttempt, claimFinish, type ActiveAttempt } from './active-attempts.js';
import { createAttemptContext } from './attempt-context.js';
import { decideOutcome } from './decide-outcome.js';
import { eventBase } from './event-base.js';
import { instrumentAttempt } from './instrument-attempt.js';
import { reportFinish } from './report-finish.js';
import { runHandler } from './run-handler.js';
import { toRunError } from './to-run-error.js';
import type { WorkerLogger } from './worker-logger.js';
import type { WorkerRuntime } from './worker-runtime.js';

/**
 * Executes one claimed attempt from payload validation to its recorded ending. Never rejects:
 * everything that can go wrong becomes the attempt's outcome or a log line.
 */
export async function executeAttempt(rt: WorkerRuntime, attempt: ActiveAttempt): Promise<void> {
  const logger = rt.logger.child({
    runId: attempt.run.runId,
    jobName: attempt.run.jobName,
    attempt: attempt.run.attempt,
  });
  const slot = rt.slots.acquire(attempt);
  const granted = slot === true || (await slot);
  if (!granted || attempt.abortCause !== undefined) {
    // Prefetched, then cancelled, lost or released by shutdown before it started (also in the turn
    // between being handed a slot and resuming here): it never ran.
    if (granted) rt.slots.release();
    rt.active.settle(attempt);
    await finishAttempt(rt, attempt, unstartedOutcome(attempt), logger);
    return;
  }
  beginExecution(rt, attempt);
  let holdsSlot = true;
  const releaseSlot = () => {
    if (holdsSlot) rt.slots.release();
    holdsSlot = false;
  };
  const cancelTimeout = armTimeout(rt, attempt);
  try {
    const execute = () => runAttempt(rt, attempt, logger);
    const outcome = await instrumentAttempt(rt.instrumentation, attemptInfo(rt, attempt), execute, logger);
    cancelTimeout();
    // The handler is done: its slot can take the next run while the ending waits for its batch
    // (the attempt stays tracked, and its lease extended, until the ending is written).
    releaseSlot();
    rt.active.settle(attempt);
    await finishAttempt(rt, attempt, outcome, logger);
  } catch (error) {
    // Defensive: the steps above catch their own errors; reaching here is a bug in the worker.
    logger.error({ err: error }, 'unexpected worker error while executing an attempt');
  } finally {
    cancelTimeout();
    releaseSlot();
  }
}

/** The attempt has its slot: execution (and its timeout) starts now on the worker's clock. */
function beginExecution(rt: WorkerRuntime, attempt: ActiveAttempt): void {
  attempt.started = true;
  attempt.startedAtMs = rt.clock.now().getTime();
  const timeoutSeconds = attempt.definition.timeoutSeconds;
  attempt.deadlineAtMs = timeoutSeconds ? attempt.startedAtMs + timeoutSeconds * 1000 : undefined;
}

/**
 * The ending of a prefetched attempt whose signal aborted before it got a slot: `cancelled` when
 * cancellation was requested, else `interrupted` (due again now, the attempt not counted). A lost
 * lease records nothing either way (`finishAttempt`).
 */
function unstartedOutcome(attempt: ActiveAttempt): FinishOutcome {
  if (attempt.requests.cancellationRequested || attempt.abortCause === 'cancelled')
    return { type: 'cancelled' };
  return { type: 'interrupted', error: notStartedError };
}

/** The recorded error of a claimed run handed back by shutdown before its handler started. */
export const notStartedError = {
  name: 'ShutdownError',
  message: 'The worker shut down before the run started.',
};

async function runAttempt(
  rt: WorkerRuntime,
  attempt: ActiveAttempt,
  logger: WorkerLogger,
): Promise<FinishOutcome> {
  const { run, definition } = attempt;
  let payload: unknown;
  try {
    payload = await validatePayload(definition, run.payload);
  } catch (error) {
    // Stale shapes (old code, raw SQL) never reach the handler, and retrying cannot fix them.
    logger.warn({ err: error }, 'stored payload failed validation; failing the run without retries');
    return { type: 'failed', error: toRunError(error) };
  }
  const ctx = createAttemptContext({ attempt, journal: rt.journal, logger, clock: rt.clock });
  if (rt.emitsEvents)
    rt.emit({ ...eventBase(rt, attempt), type: 'job_started', scheduledFor: run.scheduledFor });
  const result = await runHandler({ definition, payload, ctx, createScope: rt.createScope, logger });
  return decideOutcome({
    jobName: run.jobName,
    attempt: run.attempt,
    maxAttempts: run.maxAttempts,
    timeoutSeconds: definition.timeoutSeconds,
    result,
    requests: attempt.requests,
    abortCause: attempt.abortCause,
    now: rt.clock.now(),
    retryDelayMs: (failedAttempt) =>
      computeRetryDelayMs({
        failedAttempt,
        retry: definition.retry,
        options: rt.settings.retry,
        random: rt.random,
      }),
  });
}

/** Submits the ending unless shutdown already released the attempt or its lease is known lost. */
export async function finishAttempt(
  rt: WorkerRuntime,
  attempt: ActiveAttempt,
  outcome: FinishOutcome,
  logger: WorkerLogger,
): Promise<void> {
  if (!claimFinish(attempt)) return;
  if (attempt.leaseLost) {
    logger.warn(
      { outcome: outcome.type },
      'attempt ended after its lease was lost; its ending is not recorded',
    );
    rt.journal.forget(attempt.ref);
    return;
  }
  const { runId, workerName, attempt: number } = attempt.ref;
  const result = await rt.finisher.submit(
    { runId, workerName, attempt: number, outcome },
    () => attempt.leaseLost,
  );
  attempt.ended = true;
  rt.journal.forget(attempt.ref);
  reportFinish(rt, attempt, outcome, result, logger);
}

/** Aborts the signal with `timeout` at the job's deadline (measured on the worker's clock). */
function armTimeout(rt: WorkerRuntime, attempt: ActiveAttempt): () => void {
  const deadline = attempt.deadlineAtMs;
  if (deadline === undefined) return () => {};
  let cancel = () => {};
  const check = () => {
    const remaining = deadline - rt.clock.now().getTime();
    if (remaining <= 0) abortAttempt(attempt, 'timeout');
    else cancel = rt.timers.after(Math.max(10, remaining), check);
  };
  cancel = rt.timers.after(Math.max(0, deadline - rt.clock.now().getTime()), check);
  return () => cancel();
}

/** Aborts every attempt past its deadline; the heartbeat calls this too, so a fake clock drives timeouts in tests. */
export function abortExpiredAttempts(rt: WorkerRuntime): void {
  const now = rt.clock.now().getTime();
  for (const attempt of rt.active.list()) {
    if (attempt.deadlineAtMs !== undefined && now >= attempt.deadlineAtMs) abortAttempt(attempt, 'timeout');
  }
}

/** What the instrumentation hook learns about an attempt (trace context is in `metadata`). */
function attemptInfo(rt: WorkerRuntime, attempt: ActiveAttempt): AttemptInfo {
  return attemptInfoOf(attempt.run, {
    workerName: rt.settings.workerName,
    startedAt: new Date(attempt.startedAtMs),
  });
}
