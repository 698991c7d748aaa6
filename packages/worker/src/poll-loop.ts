import { computeStoreBackoffMs } from './poll-delay.js';
import type { TrackedTimers } from './tracked-timers.js';

/** What the loop needs to know about one iteration. */
export interface LoopStep {
  /** More work is probably due right now (a full claim, a materialised slot): iterate again at once. */
  again: boolean;
  /** A store call failed: back off before the next iteration. */
  failed: boolean;
}

/**
 * Schedules the worker's iterations: after each one, wait a (jittered) poll interval — or nothing
 * when more work is likely, or a growing backoff after a store failure — then iterate again.
 * `wake()` (a store notification, an attempt freeing capacity) cuts the wait short; a wake during an
 * iteration makes the next one start as soon as it ends.
 */
export interface PollLoop {
  start(): void;
  wake(): void;
  /** Stops scheduling; resolves when the iteration in progress (if any) has ended. */
  stop(): Promise<void>;
}

/** Creates the loop scheduler; nothing runs until `start()`. */
export function createPollLoop(input: {
  timers: TrackedTimers;
  /** `quick`: this iteration was scheduled at once (more work, a wake), not after a poll wait. */
  iterate(quick: boolean): Promise<LoopStep>;
  pollDelayMs(): number;
}): PollLoop {
  let running = false;
  let failures = 0;
  let wakeRequested = false;
  let current: Promise<void> | undefined;
  let cancelTimer: (() => void) | undefined;
  let quick = false;

  function schedule(delayMs: number): void {
    cancelTimer?.();
    quick = delayMs <= 0;
    // "At once" is the next event-loop turn, not a 0 ms timer (which waits at least ~1 ms): on a
    // busy worker that gap is a slot left idle per claim, on an idle one it is start latency.
    cancelTimer = delayMs <= 0 ? input.timers.soon(tick) : input.timers.after(delayMs, tick);
  }

  function tick(): void {
    cancelTimer = undefined;
    if (!running) return;
    wakeRequested = false;
    current = input
      .iterate(quick)
      .then(
        (step) => step,
        (): LoopStep => ({ again: false, failed: true }), // iterate() catches; this is a safety net
      )
      .then((step) => {
        current = undefined;
        if (!running) return;
        failures = step.failed ? failures + 1 : 0;
        if (failures > 0) schedule(computeStoreBackoffMs(failures, 500, 30_000));
        else schedule(step.again || wakeRequested ? 0 : input.pollDelayMs());
      });
  }

  return {
    start() {
      if (running) return;
      running = true;
      schedule(0);
      quick = false; // the first iteration does everything
    },
    wake() {
      if (!running) return;
      if (current) wakeRequested = true;
      // While backing off from a store failure, keep backing off; an iteration already due at
      // once needs no new timer (a burst of endings wakes the loop once per attempt).
      else if (failures === 0 && !(cancelTimer && quick)) schedule(0);
    },
    async stop() {
      running = false;
      cancelTimer?.();
      cancelTimer = undefined;
      await current;
    },
  };
}
