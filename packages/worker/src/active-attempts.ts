import type { AttemptRef, JobDefinition, Run } from '@durably/core';
import { AttemptAbortedError, type AbortCause } from './attempt-aborted-error.js';
import type { AttemptRequests } from './decide-outcome.js';

/** One attempt this worker is executing (or finishing). */
export interface ActiveAttempt {
  readonly ref: AttemptRef;
  /** The run as claimed. */
  readonly run: Run;
  readonly definition: JobDefinition;
  readonly controller: AbortController;
  /** What the handler (or the store, for cancellation) asked for. */
  readonly requests: AttemptRequests;
  /** Start of execution on the worker's clock, for durations and the timeout. */
  readonly startedAtMs: number;
  /** When the job's timeout aborts the signal (worker clock), if the job has one. */
  readonly deadlineAtMs: number | undefined;
  /** The first reason the signal was aborted. */
  abortCause: AbortCause | undefined;
  /** The store says this worker no longer owns the attempt: its finish would be fenced out. */
  leaseLost: boolean;
  /** An ending was submitted (by the attempt itself, or by shutdown releasing it). */
  finishClaimed: boolean;
  /** The store answered the ending (applied or fenced): nothing more to do for this attempt. */
  ended: boolean;
}

/** Aborts the attempt's signal once; the first cause is kept. */
export function abortAttempt(attempt: ActiveAttempt, cause: AbortCause): void {
  if (attempt.controller.signal.aborted) return;
  attempt.abortCause = cause;
  attempt.controller.abort(new AttemptAbortedError(cause));
}

/**
 * Takes the right to submit the attempt's ending. Exactly one caller gets `true`: the attempt when
 * its handler returns, or shutdown when it releases an attempt whose handler would not stop.
 */
export function claimFinish(attempt: ActiveAttempt): boolean {
  if (attempt.finishClaimed) return false;
  attempt.finishClaimed = true;
  return true;
}

/**
 * The attempts in flight, keyed by run and attempt. Counts towards `maxConcurrentRuns` until their
 * ending is written, so capacity is never over-committed while the store is slow.
 */
export interface ActiveAttempts {
  add(attempt: ActiveAttempt, done: Promise<void>): void;
  /** Every tracked attempt, oldest first. */
  list(): ActiveAttempt[];
  /** The attempt of `runId` that still holds (or believes it holds) the lease. */
  holding(runId: string): ActiveAttempt | undefined;
  readonly size: number;
  /** Resolves when no attempt is tracked. */
  whenIdle(): Promise<void>;
}

/** Creates the collection. An attempt leaves it when the promise passed to `add` settles. */
export function createActiveAttempts(onRemoved: () => void = () => {}): ActiveAttempts {
  const attempts = new Map<string, ActiveAttempt>();
  let idleWaiters: (() => void)[] = [];

  return {
    add(attempt, done) {
      const key = `${attempt.ref.runId}#${attempt.ref.attempt}`;
      attempts.set(key, attempt);
      const remove = () => {
        attempts.delete(key);
        if (attempts.size === 0) {
          const waiters = idleWaiters;
          idleWaiters = [];
          for (const wake of waiters) wake();
        }
        onRemoved();
      };
      // Both branches: a rejected `done` must neither keep the attempt nor escape as unhandled.
      void done.then(remove, remove);
    },
    list: () => [...attempts.values()],
    holding(runId) {
      for (const attempt of attempts.values()) {
        if (attempt.ref.runId === runId && !attempt.leaseLost) return attempt;
      }
      return undefined;
    },
    get size() {
      return attempts.size;
    },
    whenIdle() {
      if (attempts.size === 0) return Promise.resolve();
      return new Promise((resolve) => idleWaiters.push(resolve));
    },
  };
}
