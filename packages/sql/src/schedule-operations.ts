import type {
  MaterializeResult,
  NewSchedule,
  Schedule,
  ScheduleMaterializeParams,
  ScheduleUpdateParams,
} from '@durably/core';
import type { SqlContext } from './sql-context.js';
import type { SqlExecutor } from './sql-dialect-adapter.js';
import { selectTime } from './lease-operations.js';
import { dueNowQueues, toInsertRow } from './run-insert.js';

const activeStatuses = ['pending', 'leased', 'waiting_retry'] as const;

/** `scheduleInsert`: inserts unless the job already has a schedule (the primary key decides). */
export async function insertSchedule(ctx: SqlContext, schedule: NewSchedule): Promise<boolean> {
  const { adapter } = ctx;
  return ctx.write(async (executor) => {
    const now = ctx.now();
    return adapter.insertIgnoringDuplicates(executor, ctx.tables.schedules, {
      job_name: schedule.jobName,
      cron: schedule.cron,
      time_zone: schedule.timeZone,
      enabled: adapter.boolValue(schedule.enabled),
      allow_concurrent_runs: adapter.boolValue(schedule.allowConcurrentRuns),
      payload: adapter.jsonValue(schedule.payloadJson),
      next_run_at: schedule.nextRunAt ? adapter.timeValue(schedule.nextRunAt) : null,
      updated_by: schedule.updatedBy,
      created_at: now,
      updated_at: now,
    });
  });
}

/** `scheduleUpdate`: sets the given fields only; `undefined` when there is no such schedule. */
export async function updateSchedule(
  ctx: SqlContext,
  params: ScheduleUpdateParams,
): Promise<Schedule | undefined> {
  const { adapter } = ctx;
  const set: Record<string, unknown> = { updated_by: params.updatedBy, updated_at: ctx.now() };
  if (params.cron !== undefined) set.cron = params.cron;
  if (params.timeZone !== undefined) set.time_zone = params.timeZone;
  if (params.enabled !== undefined) set.enabled = adapter.boolValue(params.enabled);
  if (params.allowConcurrentRuns !== undefined)
    set.allow_concurrent_runs = adapter.boolValue(params.allowConcurrentRuns);
  if (params.payloadJson !== undefined) set.payload = adapter.jsonValue(params.payloadJson);
  if (params.nextRunAt !== undefined)
    set.next_run_at = params.nextRunAt ? adapter.timeValue(params.nextRunAt) : null;
  if (params.lastError !== undefined) set.last_error = params.lastError;
  return ctx.transaction(async (trx) => {
    const result = await trx
      .updateTable(ctx.tables.schedules)
      .set(set)
      .where('job_name', '=', params.jobName)
      .executeTakeFirst();
    if (Number(result.numUpdatedRows) === 0) return undefined;
    return readSchedule(ctx, trx, params.jobName);
  });
}

/** Reads one schedule. */
export async function readSchedule(
  ctx: SqlContext,
  executor: SqlExecutor,
  jobName: string,
): Promise<Schedule | undefined> {
  const row = await executor
    .selectFrom(ctx.tables.schedules)
    .selectAll()
    .where('job_name', '=', jobName)
    .executeTakeFirst();
  return row ? ctx.map.schedule(row) : undefined;
}

/** `scheduleList`: by job name. */
export async function listSchedules(ctx: SqlContext, includeDisabled: boolean): Promise<Schedule[]> {
  let query = ctx.db.selectFrom(ctx.tables.schedules).selectAll().orderBy('job_name');
  if (!includeDisabled) query = query.where('enabled', '=', ctx.adapter.boolValue(true));
  return (await query.execute()).map((row) => ctx.map.schedule(row));
}

/** `scheduleDelete`. */
export async function deleteSchedule(ctx: SqlContext, jobName: string): Promise<boolean> {
  return ctx.write(async (executor) => {
    const result = await executor
      .deleteFrom(ctx.tables.schedules)
      .where('job_name', '=', jobName)
      .executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  });
}

/** `scheduleListDue`: enabled schedules whose `next_run_at` has come, earliest first, and `now`. */
export async function listDueSchedules(
  ctx: SqlContext,
  params: { limit: number; jobNames?: readonly string[] },
): Promise<{ now: Date; schedules: Schedule[] }> {
  const now = ctx.clock ? ctx.clock.now() : await readDbNow(ctx);
  if (params.jobNames?.length === 0) return { now, schedules: [] };
  let query = ctx.db
    .selectFrom(ctx.tables.schedules)
    .selectAll()
    .where('enabled', '=', ctx.adapter.boolValue(true))
    .where('next_run_at', 'is not', null)
    .where('next_run_at', '<=', ctx.adapter.timeValue(now))
    .orderBy('next_run_at')
    .limit(Math.max(1, Math.floor(params.limit)));
  if (params.jobNames) query = query.where('job_name', 'in', params.jobNames);
  return { now, schedules: (await query.execute()).map((row) => ctx.map.schedule(row)) };
}

function readDbNow(ctx: SqlContext): Promise<Date> {
  return selectTime(ctx, ctx.db, ctx.adapter.nowExpression());
}

/**
 * `scheduleMaterialize`, in one transaction: compare-and-set `next_run_at` (one worker wins), then
 * insert the slot's run — `skipped` when the job forbids overlap and a run of it is active. The
 * (job, slot) unique index makes a second insert of the same slot a no-op that returns the first.
 */
export async function materializeSchedule(
  ctx: SqlContext,
  params: ScheduleMaterializeParams,
): Promise<MaterializeResult | undefined> {
  const { adapter, tables } = ctx;
  return ctx.transaction(async (trx) => {
    const advanced = await trx
      .updateTable(tables.schedules)
      .set({
        next_run_at: params.nextRunAt ? adapter.timeValue(params.nextRunAt) : null,
        last_slot_at: adapter.timeValue(params.slotAt),
        updated_at: ctx.now(),
      })
      .where('job_name', '=', params.jobName)
      .where('enabled', '=', adapter.boolValue(true))
      .where('next_run_at', '=', adapter.timeValue(params.expectedNextRunAt))
      .executeTakeFirst();
    if (Number(advanced.numUpdatedRows) === 0) return undefined;
    const schedule = await readSchedule(ctx, trx, params.jobName);
    const overlap =
      schedule && !schedule.allowConcurrentRuns && (await hasActiveRun(ctx, trx, params.jobName));
    const row = toInsertRow(
      { ...params.run, key: null },
      { status: overlap ? 'skipped' : 'pending', slotAt: params.slotAt, scheduledFor: params.slotAt },
    );
    const inserted = await adapter.insertRuns(ctx, trx, [row], { notifyQueues: dueNowQueues(ctx, [row]) });
    // The slot already has a run (its schedule was moved back): the schedule still advances.
    if (!inserted.has(row.id)) return undefined;
    const result = { runId: row.id, status: row.status };
    await trx
      .updateTable(tables.schedules)
      .set({ last_run_id: result.runId })
      .where('job_name', '=', params.jobName)
      .execute();
    return result;
  });
}

async function hasActiveRun(ctx: SqlContext, trx: SqlExecutor, jobName: string): Promise<boolean> {
  const row = await trx
    .selectFrom(ctx.tables.runs)
    .select('id')
    .where('job_name', '=', jobName)
    .where('status', 'in', activeStatuses)
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}
