import type { Schedule } from '../model.js';
import type {
  MaterializeResult,
  NewSchedule,
  ScheduleMaterializeParams,
  ScheduleUpdateParams,
} from '../store.js';
import { storeArguments } from '../store-arguments.js';
import { newStoredRun, notifyDue } from './memory-run-insert.js';
import { isActiveStatus } from './memory-run-status.js';
import { toSchedule, type MemoryContext, type StoredSchedule } from './memory-state.js';

/** `scheduleInsert`: inserts unless the job already has a schedule. */
export function insertSchedule(ctx: MemoryContext, schedule: NewSchedule): boolean {
  storeArguments.json(schedule.payloadJson, 'schedule.payloadJson');
  if (schedule.nextRunAt !== null) storeArguments.date(schedule.nextRunAt, 'schedule.nextRunAt');
  if (ctx.state.schedules.has(schedule.jobName)) return false;
  const now = ctx.now();
  ctx.state.schedules.set(schedule.jobName, {
    jobName: schedule.jobName,
    cron: schedule.cron,
    timeZone: schedule.timeZone,
    enabled: schedule.enabled,
    allowConcurrentRuns: schedule.allowConcurrentRuns,
    payloadJson: schedule.payloadJson,
    nextRunAt: schedule.nextRunAt?.getTime() ?? null,
    lastSlotAt: null,
    lastRunId: null,
    lastError: null,
    updatedBy: schedule.updatedBy,
    createdAt: now,
    updatedAt: now,
  });
  return true;
}

/** `scheduleUpdate`: changes only the fields given (plus `updatedBy`, and `updatedAt` = now). */
export function updateSchedule(ctx: MemoryContext, params: ScheduleUpdateParams): Schedule | undefined {
  if (params.payloadJson !== undefined) storeArguments.json(params.payloadJson, 'payloadJson');
  if (params.nextRunAt) storeArguments.date(params.nextRunAt, 'nextRunAt');
  const stored = ctx.state.schedules.get(params.jobName);
  if (!stored) return undefined;
  if (params.cron !== undefined) stored.cron = params.cron;
  if (params.timeZone !== undefined) stored.timeZone = params.timeZone;
  if (params.enabled !== undefined) stored.enabled = params.enabled;
  if (params.allowConcurrentRuns !== undefined) stored.allowConcurrentRuns = params.allowConcurrentRuns;
  if (params.payloadJson !== undefined) stored.payloadJson = params.payloadJson;
  if (params.nextRunAt !== undefined) stored.nextRunAt = params.nextRunAt?.getTime() ?? null;
  if (params.lastError !== undefined) stored.lastError = params.lastError;
  stored.updatedBy = params.updatedBy;
  stored.updatedAt = ctx.now();
  return toSchedule(stored);
}

/** `scheduleList`: ordered by `jobName`; disabled schedules only when asked for. */
export function listSchedules(ctx: MemoryContext, includeDisabled: boolean): Schedule[] {
  return sortedSchedules(ctx)
    .filter((schedule) => includeDisabled || schedule.enabled)
    .map(toSchedule);
}

/**
 * `scheduleListDue`: enabled schedules with `nextRunAt <= now`, earliest `nextRunAt` first (then
 * `jobName`), at most `limit`. An empty `jobNames` list matches nothing.
 */
export function listDueSchedules(
  ctx: MemoryContext,
  params: { limit: number; jobNames?: readonly string[] },
): { now: Date; schedules: Schedule[] } {
  storeArguments.positiveInteger(params.limit, 'limit');
  const now = ctx.now();
  const due = sortedSchedules(ctx)
    .filter((schedule) => schedule.enabled && schedule.nextRunAt !== null && schedule.nextRunAt <= now)
    .filter((schedule) => params.jobNames === undefined || params.jobNames.includes(schedule.jobName))
    .sort((a, b) => (a.nextRunAt ?? 0) - (b.nextRunAt ?? 0))
    .slice(0, params.limit);
  return { now: new Date(now), schedules: due.map(toSchedule) };
}

function sortedSchedules(ctx: MemoryContext): StoredSchedule[] {
  return [...ctx.state.schedules.values()].sort((a, b) => (a.jobName < b.jobName ? -1 : a.jobName > b.jobName ? 1 : 0));
}

/**
 * `scheduleMaterialize` for the memory store. Applies only when the schedule exists, is enabled
 * and its `nextRunAt` still equals `expectedNextRunAt` (otherwise `undefined`, nothing changed).
 * Then `nextRunAt` advances; if the job already has a run for `slotAt` (any status), no second run
 * is inserted and the result is `undefined`; otherwise the slot's run is inserted (`key` ignored,
 * `scheduledFor` = `slotAt`, `runAt` = `run.runAt` or now) and the schedule's `lastSlotAt` and
 * `lastRunId` point at it. It is `skipped` (finished now) when the schedule does not allow
 * concurrent runs and the job has an active run.
 */
export function materializeSchedule(
  ctx: MemoryContext,
  params: ScheduleMaterializeParams,
): MaterializeResult | undefined {
  storeArguments.date(params.expectedNextRunAt, 'expectedNextRunAt');
  storeArguments.date(params.slotAt, 'slotAt');
  if (params.nextRunAt !== null) storeArguments.date(params.nextRunAt, 'nextRunAt');
  storeArguments.newRun(params.run, 'run');
  const schedule = ctx.state.schedules.get(params.jobName);
  if (!schedule || !schedule.enabled || schedule.nextRunAt !== params.expectedNextRunAt.getTime()) return undefined;
  schedule.nextRunAt = params.nextRunAt?.getTime() ?? null;
  const slotAt = params.slotAt.getTime();
  const runs = [...ctx.state.runs.values()].filter((run) => run.jobName === params.jobName);
  if (runs.some((run) => run.slotAt === slotAt)) return undefined;
  const now = ctx.now();
  const skip = !schedule.allowConcurrentRuns && runs.some((run) => isActiveStatus(run.status));
  const record = newStoredRun({ ...params.run, jobName: params.jobName, key: null }, now, {
    slotAt,
    scheduledFor: slotAt,
    ...(skip ? { status: 'skipped' as const, finishedAt: now } : {}),
  });
  ctx.state.runs.set(record.runId, record);
  schedule.lastSlotAt = slotAt;
  schedule.lastRunId = record.runId;
  notifyDue(ctx, [record], now);
  return { runId: record.runId, status: skip ? 'skipped' : 'pending' };
}

/** `scheduleDelete`: removes the schedule; its runs stay. */
export function deleteSchedule(ctx: MemoryContext, jobName: string): boolean {
  return ctx.state.schedules.delete(jobName);
}
