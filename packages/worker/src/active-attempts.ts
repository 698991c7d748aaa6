import type { AttemptRef, JobDefinition, Run } from '@durably/core';
import { AttemptAbortedError, type AbortCause } from './attempt-aborted-error.js';
import type { AttemptRequests } from './decide-outcome.js';

/** One attempt this worker is executing (or finishing). */
export interface ActiveAttempt {
  readonly ref: AttemptRef;
  /** The run as claimed. */
  readonly run: Run;
  readonly definition: JobDefinition;
  /**
   * The signal's controller, created on first use (`attemptSignal`): most handlers never read
   * `ctx.signal`, and on Node 20 every AbortController weighs on the garbage collector (a fifth of
   * a draining worker's CPU went to collection there).
   */
  controller: AbortController | undefined;
  /** Told once when the attempt is aborted (a prefetched attempt waiting for a slot listens). */
  onAbort: (() => void) | undefined;
  /** What the handler (or the store, for cancellation) asked for. */
  readonly requests: AttemptRequests;
  /**
   * Start of execution on the worker's clock, for durations and the timeout: the claim until the
   * attempt takes an execution slot (later than its claim only when it was prefetched).
   */
  startedAtMs: number;
  /** When the job's timeout aborts the signal (worker clock), set when the handler starts. */
  deadlineAtMs: number | undefined;
  /** The attempt took an execution slot and its handler began (a prefetched one waits first). */
  started: boolean;
  /** The first reason the signal was aborted. */
  abortCause: AbortCause | undefined;
  /** The store says this worker no longer owns the attempt: its finish would be fenced out. */
  leaseLost: boolean;
  /** An ending was submitted (by the attempt itself, or by shutdown releasing it). */
  finishClaimed: boolean;
  /** The store answered the ending (applied or fenced): nothing more to do for this attempt. */
  ended: boolean;
  /**
   * The handler has settled (its ending is decided, perhaps not yet written): the attempt no
   * longer takes an execution slot, though it stays tracked (and its lease heartbeated) until the
   * ending is written.
   */
  settled: boolean;
}

/** Aborts the attempt (and its signal, if created) once; the first cause is kept. */
export function abortAttempt(attempt: ActiveAttempt, cause: AbortCause): void {
  if (attempt.abortCause !== undefined) return;
  attempt.abortCause = cause;
  attempt.controller?.abort(new AttemptAbortedError(cause));
  const onAbort = attempt.onAbort;
  attempt.onAbort = undefined;
  onAbort?.();
}

/** The attempt's `ctx.signal`, created on first use — already aborted if the attempt was. */
export function attemptSignal(attempt: ActiveAttempt): AbortSignal {
  if (!attempt.controller) {
    attempt.controller = new AbortController();
    if (attempt.abortCause !== undefined)
      attempt.controller.abort(new AttemptAbortedError(attempt.abortCause));
  }
  return attempt.controller.signal;
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
 * The attempts in flight, keyed by run and attempt. An attempt is tracked until its ending is
 * written (so its lease keeps being extended), but it takes an execution slot only while its
 * handler runs: `executing` counts those towards `maxConcurrentRuns`, and `size - executing` are
 * endings waiting for the finish batcher (bounded by the claim, see `claimCapacity`).
 */
export interface ActiveAttempts {
  add(attempt: ActiveAttempt, done: Promise<void>): void;
  /** The attempt's handler settled: frees its execution slot (once) and tells `onFreed`. */
  settle(attempt: ActiveAttempt): void;
  /** Attempts whose handler has not settled yet (running, or prefetched and waiting for a slot). */
  readonly executing: number;
  /** Every tracked attempt, oldest first. */
  list(): ActiveAttempt[];
  /** The attempt of `runId` that still holds (or believes it holds) the lease. */
  holding(runId: string): ActiveAttempt | undefined;
  readonly size: number;
  /** Resolves when no attempt is tracked. */
  whenIdle(): Promise<void>;
}

/**
 * Creates the collection. An attempt leaves it when the promise passed to `add` settles;
 * `onFreed` runs whenever an execution slot or a tracked place frees (to wake a saturated loop).
 */
export function createActiveAttempts(onFreed: () => void = () => {}): ActiveAttempts {
  const attempts = new Map<string, ActiveAttempt>();
  const newestByRun = new Map<string, ActiveAttempt>();
  let idleWaiters: (() => void)[] = [];
  let executing = 0;

  function settle(attempt: ActiveAttempt): boolean {
    if (attempt.settled) return false;
    attempt.settled = true;
    executing -= 1;
    return true;
  }

  return {
    add(attempt, done) {
      const key = `${attempt.ref.runId}#${attempt.ref.attempt}`;
      attempts.set(key, attempt);
      newestByRun.set(attempt.ref.runId, attempt);
      executing += 1;
      const remove = () => {
        settle(attempt);
        attempts.delete(key);
        if (newestByRun.get(attempt.ref.runId) === attempt) newestByRun.delete(attempt.ref.runId);
        if (attempts.size === 0) {
          const waiters = idleWaiters;
          idleWaiters = [];
          for (const wake of waiters) wake();
        }
        onFreed();
      };
      // Both branches: a rejected `done` must neither keep the attempt nor escape as unhandled.
      void done.then(remove, remove);
    },
    settle(attempt) {
      if (settle(attempt)) onFreed();
    },
    get executing() {
      return executing;
    },
    list: () => [...attempts.values()],
    holding(runId) {
      // Only the newest attempt of a run can hold its lease: the store hands a run out again only
      // after the previous lease expired. A lookup, not a scan: it runs for every claimed run.
      const newest = newestByRun.get(runId);
      return newest && !newest.leaseLost ? newest : undefined;
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
