import type { CronSchedule } from '@durably/core';
import { claimCapacity, claimRuns } from './claim-runs.js';
import { materializeSchedules } from './materialize-schedules.js';
import { createLeaseReaper } from './reap-expired-leases.js';
import type { IterationResult } from './worker.js';
import type { WorkerRuntime } from './worker-runtime.js';

/** The loop body, serialised: iterations never overlap, whether from the loop or `runOnce`/`drain`. */
export interface WorkerIteration {
  /**
   * One iteration. `quick` (the loop woke early: capacity freed, a notification) skips
   * materialising recurring slots if that ran less than `min(pollIntervalMs, 1 s)` ago on the
   * worker clock and found nothing more due, so a busy worker pays one claim per iteration, not a
   * schedule query too; slots are still materialised at least that often.
   */
  run(options?: { quick?: boolean }): Promise<IterationResult>;
  /** The last claim found no free capacity or came back full: wake the loop when capacity frees. */
  readonly saturated: boolean;
  /** Resolves when the iteration in progress (if any) has ended. */
  settled(): Promise<unknown>;
}

/**
 * One iteration: materialise due cron slots, reap expired leases (rate-limited), then claim — unless
 * `isClaiming()` says the worker is shutting down; a woken iteration claims first. Each step catches
 * its own store error (logged, returned in `errors`), so one failing step does not skip the others.
 */
export function createWorkerIteration(rt: WorkerRuntime, isClaiming: () => boolean): WorkerIteration {
  const cronCache = new Map<string, CronSchedule>();
  const reaper = createLeaseReaper(rt);
  let saturated = false;
  let chain: Promise<unknown> = Promise.resolve();
  let lastMaterializedAtMs = Number.NEGATIVE_INFINITY;
  let moreSlotsDue = true;

  function shouldMaterialize(quick: boolean): boolean {
    const now = rt.clock.now().getTime();
    const every = Math.min(rt.settings.pollIntervalMs, 1_000);
    if (quick && !moreSlotsDue && now - lastMaterializedAtMs < every) return false;
    lastMaterializedAtMs = now;
    return true;
  }

  async function iterate(quick: boolean): Promise<IterationResult> {
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
    const materializeDue = async () =>
      shouldMaterialize(quick)
        ? await step('materialising recurring slots', () => materializeSchedules(rt, cronCache))
        : { materialized: 0, paused: 0, full: false };
    const reap = () => step('reaping expired leases', () => reaper.reapIfDue());
    const claimDue = () =>
      isClaiming() ? step('claiming runs', () => claimRuns(rt, isClaiming)) : Promise.resolve(undefined);
    // A woken iteration (a notification, a freed slot) claims first: the run that woke it should not
    // wait for a schedule or reaper query (those made 1 in ~150 wake-ups a round trip slower). Runs
    // they make due are then claimed by the next iteration, at once (`again`).
    let materialized: Awaited<ReturnType<typeof materializeDue>>;
    let reaped: Awaited<ReturnType<typeof reap>>;
    let claim: Awaited<ReturnType<typeof claimDue>>;
    if (quick) {
      claim = await claimDue();
      materialized = await materializeDue();
      reaped = await reap();
    } else {
      materialized = await materializeDue();
      reaped = await reap();
      claim = await claimDue();
    }
    saturated = claim !== undefined && (claim.saturated || claim.full);
    const free = claimCapacity(rt);
    const moreSlots = materialized !== undefined && (materialized.full || materialized.materialized > 0);
    moreSlotsDue = materialized === undefined || moreSlots;
    const moreRuns = claim !== undefined && claim.full && free > 0;
    const recovered =
      quick && reaped !== undefined && reaped.some((run) => run.status === 'pending') && free > 0;
    return {
      materialized: materialized?.materialized ?? 0,
      claimed: claim?.claimed ?? 0,
      errors,
      again: errors.length === 0 && (moreSlots || moreRuns || recovered),
    };
  }

  return {
    run(options) {
      const quick = options?.quick ?? false;
      const next = chain.then(() => iterate(quick));
      chain = next.catch(() => undefined);
      return next;
    },
    get saturated() {
      return saturated;
    },
    settled: () => chain,
  };
}
