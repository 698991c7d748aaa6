import type { FinishOutcome, RunError } from '@durably/core';

/** How an attempt ended, as recorded on its span and metrics (`durably.run.outcome`). */
export type RecordedOutcome = 'succeeded' | 'failed' | 'retry' | 'snoozed' | 'cancelled' | 'interrupted';

/** The outcome plus the error behind it, if any. */
export interface ClassifiedOutcome {
  outcome: RecordedOutcome;
  error: RunError | undefined;
  /** `error.type`: the error's name (`TypeError`, `NonRetryableError`, `TimeoutError`, …). */
  errorType: string | undefined;
}

const outcomeOf: Record<FinishOutcome['type'], RecordedOutcome> = {
  succeeded: 'succeeded',
  failed: 'failed',
  retry: 'retry',
  snoozed: 'snoozed',
  cancelled: 'cancelled',
  interrupted: 'interrupted',
};

/**
 * Reads the outcome from what `execute()` resolved to: a core `FinishOutcome` (the worker's
 * decision about the attempt) is recorded as it is; any other value counts as success.
 */
export function classifyResult(value: unknown): ClassifiedOutcome {
  if (!isFinishOutcome(value)) return { outcome: 'succeeded', error: undefined, errorType: undefined };
  const error = 'error' in value ? value.error : undefined;
  return { outcome: outcomeOf[value.type], error, errorType: error?.name || (error ? 'Error' : undefined) };
}

/** A rejected `execute()`: the attempt failed with this error. */
export function classifyThrown(thrown: unknown): ClassifiedOutcome {
  const error: RunError =
    thrown instanceof Error
      ? {
          name: thrown.name,
          message: thrown.message,
          ...(thrown.stack === undefined ? {} : { stack: thrown.stack }),
        }
      : { name: 'Error', message: String(thrown) };
  return { outcome: 'failed', error, errorType: error.name || 'Error' };
}

function isFinishOutcome(value: unknown): value is FinishOutcome {
  if (typeof value !== 'object' || value === null || !('type' in value)) return false;
  return typeof value.type === 'string' && Object.hasOwn(outcomeOf, value.type);
}
