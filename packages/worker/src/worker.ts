/** `idle`: created, not started (test hooks work); `running`; `stopping`; `stopped` (final). */
export type WorkerState = 'idle' | 'running' | 'stopping' | 'stopped';

/** What one loop iteration did. */
export interface IterationResult {
  /** Recurring slots this iteration turned into runs. */
  materialized: number;
  /** Runs claimed (and started; not awaited). */
  claimed: number;
  /** Store errors caught during the iteration (logged; the loop backs off). */
  errors: unknown[];
  /** More work is probably due right away. */
  again: boolean;
}

/** What `drain()` did. */
export interface DrainResult {
  /** Attempts executed. */
  runs: number;
  iterations: number;
}

/**
 * A worker: the loop that claims and executes runs. See `createWorker`.
 *
 * Test hooks (`runOnce`, `drain`, `heartbeatOnce`, `sweepOnce`, `flush`, `whenIdle`) drive the
 * same code as the timers do, one step at a time, so tests use a fake clock instead of sleeping.
 */
export interface Worker {
  readonly workerName: string;
  readonly state: WorkerState;
  /** Attempts executing or waiting for their ending to be written. */
  readonly activeRuns: number;
  /** Timers the worker holds; 0 after `stop()` (tests assert that nothing leaks). */
  readonly pendingTimers: number;
  /**
   * Registers the worker, subscribes to the store's work notifications and starts the loop,
   * heartbeat, worker beat and retention timers. Idempotent while running.
   */
  start(): Promise<void>;
  /**
   * Graceful shutdown: stop claiming, wait up to `graceMs` (default `shutdownGraceSeconds`, 30 s) for
   * in-flight attempts, then abort their signals and wait `abortWaitMs` (default 1 000 ms) for the
   * handlers to return; runs still held are released (`interrupted`, due now). Flushes endings,
   * progress and logs, deregisters, clears every timer. Safe to call twice (returns the same promise).
   */
  stop(options?: { graceMs?: number; abortWaitMs?: number }): Promise<void>;
  /**
   * One loop iteration: materialise due recurring slots, reap expired leases (at most once per
   * heartbeat interval on the worker clock), claim up to free capacity and start the attempts.
   * Does not wait for them (see `whenIdle`). Never throws for store errors: they are in `errors`.
   */
  runOnce(): Promise<IterationResult>;
  /**
   * Runs everything due now until nothing is: iterates, waits for every attempt and its recorded
   * ending, and repeats while runs were claimed or slots materialised. Throws the first store error.
   * Runs due later (a retry delay, a snooze) need the clock moved and another `drain()`.
   */
  drain(options?: { maxIterations?: number }): Promise<DrainResult>;
  /** One heartbeat: extend leases, abort attempts whose lease is lost, cancelled or past timeout. */
  heartbeatOnce(): Promise<boolean>;
  /** One retention sweep; returns the number of runs deleted. */
  sweepOnce(): Promise<number>;
  /** Resolves when no attempt is in flight. */
  whenIdle(): Promise<void>;
  /** Writes buffered endings, progress and log lines now. */
  flush(): Promise<void>;
}
