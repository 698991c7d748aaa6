import {
  parseSchedule,
  planSlot,
  serializePayload,
  type CronSchedule,
  type JobDefinition,
  type NewRun,
  type Schedule,
  type SlotPlan,
} from '@durably/core';
import type { WorkerRuntime } from './worker-runtime.js';

/** Most due schedules handled per loop iteration; the rest wait for the next one (`full` says so). */
const dueSchedulesPerIteration = 100;

/** What one materialisation pass did. */
export interface MaterializeOutcome {
  /** Slots turned into runs (pending or skipped) by this worker. */
  materialized: number;
  /** Schedules paused because their next slot could not be computed. */
  paused: number;
  /** The due list was cut at its limit: more schedules may be due. */
  full: boolean;
}

/**
 * Turns due recurring slots into runs: for each due schedule of a job this worker defines,
 * `planSlot` picks the slot (per `recurring.catchUpPolicy`) and `scheduleMaterialize` inserts its run
 * and advances `nextRunAt` in one compare-and-set step, so a slot fires once however many workers
 * race for it. A schedule whose slot cannot be computed (its zone no longer resolves, its stored
 * cron is invalid) is paused alone — `nextRunAt: null` with `lastError` — and never stops the
 * others. Store errors propagate to the loop, which backs off.
 */
export async function materializeSchedules(
  rt: WorkerRuntime,
  cronCache: Map<string, CronSchedule>,
): Promise<MaterializeOutcome> {
  const outcome: MaterializeOutcome = { materialized: 0, paused: 0, full: false };
  if (rt.registry.names.length === 0) return outcome;
  const { now, schedules } = await rt.store.scheduleListDue({
    limit: dueSchedulesPerIteration,
    jobNames: rt.registry.names,
  });
  outcome.full = schedules.length >= dueSchedulesPerIteration;
  for (const schedule of schedules) {
    const definition = rt.registry.get(schedule.jobName);
    if (!definition || schedule.nextRunAt === null) continue;
    let plan: { slot: SlotPlan; run: NewRun } | null;
    try {
      plan = planRun(rt, schedule, definition, now, cronCache);
    } catch (error) {
      await pauseSchedule(rt, schedule, error);
      outcome.paused += 1;
      continue;
    }
    if (plan && (await materializeSlot(rt, schedule, plan.slot, plan.run))) outcome.materialized += 1;
  }
  return outcome;
}

function planRun(
  rt: WorkerRuntime,
  schedule: Schedule,
  definition: JobDefinition,
  now: Date,
  cronCache: Map<string, CronSchedule>,
): { slot: SlotPlan; run: NewRun } | null {
  const cron = cachedCron(schedule, cronCache);
  const slot = planSlot({ schedule, cron, now, policy: rt.settings.catchUpPolicy });
  if (!slot) return null;
  const run: NewRun = {
    jobName: schedule.jobName,
    payloadJson: serializePayload(schedule.jobName, schedule.payload, { maxBytes: rt.settings.payloadMaxBytes }),
    queue: definition.queue,
    priority: definition.priority,
    maxAttempts: definition.maxAttempts,
    runAt: slot.slotAt,
    key: null,
    keyConflict: 'keep-existing',
    origin: 'cron',
    metadata: {},
  };
  return { slot, run };
}

async function materializeSlot(rt: WorkerRuntime, schedule: Schedule, slot: SlotPlan, run: NewRun): Promise<boolean> {
  const result = await rt.store.scheduleMaterialize({
    jobName: schedule.jobName,
    expectedNextRunAt: schedule.nextRunAt!,
    slotAt: slot.slotAt,
    nextRunAt: slot.nextRunAt,
    run,
  });
  if (!result) return false; // another worker materialised this slot first
  const fields = { jobName: schedule.jobName, slotAt: slot.slotAt, nextRunAt: slot.nextRunAt, runId: result.runId };
  if (result.status === 'skipped') {
    rt.logger.info(fields, 'recurring slot skipped: an earlier run of this non-concurrent job is still active');
    rt.emit({
      type: 'job_skipped',
      at: rt.clock.now(),
      workerName: rt.settings.workerName,
      runId: result.runId,
      jobName: schedule.jobName,
      queue: run.queue,
      attempt: 0,
      slotAt: slot.slotAt,
    });
  } else rt.logger.debug(fields, 'recurring slot materialised');
  return true;
}

async function pauseSchedule(rt: WorkerRuntime, schedule: Schedule, error: unknown): Promise<void> {
  const message = error instanceof Error ? error.message : String(error);
  const lastError = `Paused by worker ${rt.settings.workerName}: the next slot could not be computed (${message}). Fix the schedule (cron or time zone) and enable it again.`;
  rt.logger.error({ err: error, jobName: schedule.jobName }, 'recurring schedule paused: its next slot could not be computed');
  // Keep `updatedBy`: a pause is not an admin edit that registration sync must preserve.
  await rt.store.scheduleUpdate({ jobName: schedule.jobName, nextRunAt: null, lastError, updatedBy: schedule.updatedBy });
}

/** Bound on cached parsed expressions; schedules rarely change, so this is only a safety net. */
const cronCacheLimit = 1_000;

function cachedCron(schedule: Schedule, cache: Map<string, CronSchedule>): CronSchedule {
  const key = `${schedule.timeZone}\u0000${schedule.cron}`;
  let cron = cache.get(key);
  if (!cron) {
    cron = parseSchedule({ cron: schedule.cron, timeZone: schedule.timeZone });
    if (cache.size >= cronCacheLimit) cache.clear();
    cache.set(key, cron);
  }
  return cron;
}
