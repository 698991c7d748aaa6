import { abortAttempt } from './active-attempts.js';
import { markLeaseLost } from './claim-runs.js';
import { abortExpiredAttempts } from './execute-attempt.js';
import { computeStoreBackoffMs } from './poll-delay.js';
import type { WorkerRuntime } from './worker-runtime.js';

/**
 * The heartbeat: every `heartbeatIntervalMs` (half the lease, at least 250 ms) one `leaseExtend`
 * call covers every attempt this worker holds. It runs on its own timer, independent of the claim
 * loop, so slow claims or completions never delay it. Attempts the store reports lost are aborted
 * (`lease_lost`); attempts with a cancellation request are aborted and end `cancelled`.
 */
export interface LeaseKeeper {
  start(): void;
  /** One heartbeat now (also aborts attempts past their timeout). Returns false if the store call failed. */
  beat(): Promise<boolean>;
  stop(): void;
}

/** Creates the heartbeat of one worker; nothing runs until `start()` (tests call `beat()`). */
export function createLeaseKeeper(rt: WorkerRuntime): LeaseKeeper {
  let running = false;
  let failures = 0;
  let cancelTimer: (() => void) | undefined;

  async function beat(): Promise<boolean> {
    abortExpiredAttempts(rt);
    const held = rt.active.list().filter((attempt) => !attempt.leaseLost && !attempt.ended);
    if (held.length === 0) return true;
    try {
      const result = await rt.store.leaseExtend({
        workerName: rt.settings.workerName,
        attempts: held.map((attempt) => ({ runId: attempt.ref.runId, attempt: attempt.ref.attempt })),
        leaseDurationMs: rt.settings.leaseDurationMs,
      });
      failures = 0;
      for (const runId of result.lost) {
        const attempt = held.find((candidate) => candidate.ref.runId === runId);
        // An attempt whose ending was just written is "lost" only because it is over.
        if (attempt && !attempt.ended) markLeaseLost(rt, attempt);
      }
      for (const runId of result.cancelRequested) {
        const attempt = held.find((candidate) => candidate.ref.runId === runId);
        if (!attempt) continue;
        attempt.requests.cancellationRequested = true;
        abortAttempt(attempt, 'cancelled');
      }
      return true;
    } catch (error) {
      failures += 1;
      rt.logger.error({ err: error, attempts: held.length, failures }, 'extending leases failed; retrying');
      return false;
    }
  }

  function schedule(delayMs: number): void {
    cancelTimer = rt.timers.after(delayMs, () => {
      cancelTimer = undefined;
      const next = () => {
        if (!running) return;
        // After a failure retry sooner than the interval (but not in a tight loop): the lease
        // keeps running out while the store is unreachable.
        const interval = rt.settings.heartbeatIntervalMs;
        schedule(failures > 0 ? Math.min(interval, computeStoreBackoffMs(failures)) : interval);
      };
      // beat() catches store errors; a throw from a logger or sink must not stop the heartbeat.
      void beat().then(next, (error: unknown) => {
        failures += 1;
        rt.logger.error({ err: error }, 'unexpected heartbeat error');
        next();
      });
    });
  }

  return {
    start() {
      if (running) return;
      running = true;
      schedule(rt.settings.heartbeatIntervalMs);
    },
    beat,
    stop() {
      running = false;
      cancelTimer?.();
      cancelTimer = undefined;
    },
  };
}
