import type { CronSchedule } from '@durably/core';
import { claimRuns } from './claim-runs.js';
import { materializeSchedules } from './materialize-schedules.js';
import { createLeaseReaper } from './reap-expired-leases.js';
import type { IterationResult } from './worker.js';
import type { WorkerRuntime } from './worker-runtime.js';

/** The loop body, serialised: iterations never overlap, whether from the loop or `runOnce`/`drain`. */
export interface WorkerIteration {
  run(): Promise<IterationResult>;
  /** The last claim found no free capacity or came back full: wake the loop when capacity frees. */
  readonly saturated: boolean;
  /** Resolves when the iteration in progress (if any) has ended. */
  settled(): Promise<unknown>;
}

/**
 * One iteration: materialise due cron slots, reap expired leases (rate-limited), then claim — unless
 * `isClaiming()` says the worker is shutting down. Each step catches its own store error (logged,
 * returned in `errors`), so one failing step does not skip the others.
 */
export function createWorkerIteration(rt: WorkerRuntime, isClaiming: () => boolean): WorkerIteration {
  const cronCache = new Map<string, CronSchedule>();
  const reaper = createLeaseReaper(rt);
  let saturated = false;
  let chain: Promise<unknown> = Promise.resolve();

  async function iterate(): Promise<IterationResult> {
    const errors: unknown[] = [];
    const step = async <T>(what: string, task: () => Promise<T>): Promise<T | undefined> => {
      try {
        return await task();
      } catch (error) {
        errors.push(error);
        rt.logger.error({ err: error }, `${what} failed; the loop backs off and tries again`);
        return undefined;
      }
    };
    const materialized = await step('materialising recurring slots', () => materializeSchedules(rt, cronCache));
    await step('reaping expired leases', () => reaper.reapIfDue());
    const claim = isClaiming() ? await step('claiming runs', () => claimRuns(rt, isClaiming)) : undefined;
    saturated = claim !== undefined && (claim.saturated || claim.full);
    const free = rt.settings.maxConcurrentRuns - rt.active.size;
    const moreSlots = materialized !== undefined && (materialized.full || materialized.materialized > 0);
    const moreRuns = claim !== undefined && claim.full && free > 0;
    return {
      materialized: materialized?.materialized ?? 0,
      claimed: claim?.claimed ?? 0,
      errors,
      again: errors.length === 0 && (moreSlots || moreRuns),
    };
  }

  return {
    run() {
      const next = chain.then(iterate);
      chain = next.catch(() => undefined);
      return next;
    },
    get saturated() {
      return saturated;
    },
    settled: () => chain,
  };
}
