import type { FinishOutcome, RunFinishResult } from '@durably/core';
import type { ActiveAttempt } from './active-attempts.js';
import { eventBase } from './event-base.js';
import type { WorkerLogger } from './worker-logger.js';
import type { WorkerRuntime } from './worker-runtime.js';

/**
 * Emits the events of an attempt's ending once the store answered, and logs what happened.
 * `result` undefined: the ending was abandoned (lease lost while the store was unreachable).
 * `applied: false`: the fence rejected it, because another worker owns the run now or it ended.
 */
export function reportFinish(
  rt: WorkerRuntime,
  attempt: ActiveAttempt,
  outcome: FinishOutcome,
  result: RunFinishResult | undefined,
  logger: WorkerLogger,
): void {
  const at = rt.clock.now();
  const base = () => eventBase(rt, attempt, at); // built only where an event is emitted
  if (!result) {
    logger.warn(
      { outcome: outcome.type },
      'attempt ending not recorded: its lease was lost; the run is recovered elsewhere',
    );
    return;
  }
  if (!result.applied) {
    logger.warn(
      { outcome: outcome.type, status: result.status },
      'attempt ending rejected by the lease fence; not retried',
    );
    rt.emit({ ...base(), type: 'lease_lost', reason: 'fenced' });
    return;
  }
  const durationMs = Math.max(0, at.getTime() - attempt.startedAtMs);
  // The store lets a cancellation requested after the last heartbeat win over running again.
  const effective = result.status === 'cancelled' ? 'cancelled' : outcome.type;
  switch (effective) {
    case 'succeeded':
      logger.info({ durationMs }, 'run succeeded');
      if (rt.emitsEvents) rt.emit({ ...base(), type: 'job_succeeded', durationMs });
      return;
    case 'failed':
    case 'retry':
      reportFailure(rt, base(), outcome, durationMs, logger);
      return;
    case 'cancelled':
      logger.info({ durationMs }, 'run cancelled');
      rt.emit({ ...base(), type: 'job_cancelled', durationMs });
      return;
    case 'snoozed':
      logger.info(
        { durationMs, delayMs: outcome.type === 'snoozed' ? outcome.delayMs : undefined },
        'run snoozed',
      );
      return;
    case 'interrupted':
      logger.info({ durationMs }, 'attempt interrupted by shutdown; the run is due again now');
      return;
  }
}

function reportFailure(
  rt: WorkerRuntime,
  base: ReturnType<typeof eventBase>,
  outcome: FinishOutcome,
  durationMs: number,
  logger: WorkerLogger,
): void {
  if (outcome.type === 'failed') {
    logger.warn({ durationMs, error: outcome.error }, 'run failed');
    rt.emit({ ...base, type: 'job_failed', durationMs, error: outcome.error, terminal: true });
  } else if (outcome.type === 'retry') {
    logger.info(
      { durationMs, error: outcome.error, delayMs: outcome.delayMs },
      'attempt failed; retry scheduled',
    );
    rt.emit({ ...base, type: 'job_failed', durationMs, error: outcome.error, terminal: false });
    rt.emit({ ...base, type: 'retry_scheduled', delayMs: outcome.delayMs, error: outcome.error });
  }
}
