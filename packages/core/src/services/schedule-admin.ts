import { DurablyError, InvalidArgumentError, ScheduleNotFoundError } from '../errors.js';
import type { Schedule } from '../model.js';
import { parseSchedule, type CronSchedule } from '../schedule/parse-schedule.js';
import { describeValue } from './describe-value.js';
import { prepareRun } from './durably-client.js';
import { instrumentEnqueue } from './instrument-enqueue.js';
import type { ServiceDeps } from './service-deps.js';

/** Most occurrences `preview` computes. */
export const previewMaxCount = 100;

/** A stored schedule as the admin sees it. */
export interface ScheduleView extends Schedule {
  /** Human-readable schedule, e.g. "at 03:00 every day (Europe/Berlin)"; `null` if it cannot be parsed. */
  description: string | null;
  /** The next occurrences from `nextRunAt` (empty when disabled or paused). */
  upcoming: Date[];
  /** Whether the running code defines this job (false for orphans left by a rename or removal). */
  definedInCode: boolean;
}

export interface ScheduleListOptions {
  /** Include disabled schedules. Default `false`. */
  includeDisabled?: boolean;
  /** How many upcoming occurrences to list per schedule. Default 3, at most 100. */
  upcomingCount?: number;
}

/**
 * Runtime operations on recurring schedules (the store's copies of recurring job definitions). Every
 * change is marked `updatedBy: 'admin'`, so under `keep-database` it survives redeploys. An unknown
 * job name throws `ScheduleNotFoundError`.
 */
export interface ScheduleAdmin {
  list(options?: ScheduleListOptions): Promise<ScheduleView[]>;
  /**
   * Disabling clears `nextRunAt` (no slot materialises while disabled). Enabling recomputes it from
   * the store's now, so slots missed while disabled are not replayed; enabling an enabled schedule
   * changes nothing unless it was paused (`nextRunAt` null), which resumes it and clears `lastError`.
   */
  setEnabled(jobName: string, enabled: boolean): Promise<Schedule>;
  /**
   * Replaces the cron expression and time zone (checked like a definition: an invalid one throws
   * `ScheduleError`). `timeZone` defaults to the stored zone. Recomputes `nextRunAt` from the store's
   * now when the schedule is enabled.
   */
  updateCron(jobName: string, cron: string, timeZone?: string): Promise<Schedule>;
  /**
   * Enqueues one ad-hoc run of the schedule's job now (origin `run-now`, the stored payload), without
   * touching the schedule. The job must be defined in the running code. Returns the `runId`.
   */
  runNow(jobName: string): Promise<string>;
  /** The next `count` occurrences (default 5, 1..100) after the store's now, whether enabled or not. */
  preview(jobName: string, count?: number): Promise<Date[]>;
  /**
   * Deletes the stored schedule. Its runs stay. A job still defined in code gets a new schedule at the
   * next startup (registration sync); disable it instead to stop it for good.
   */
  delete(jobName: string): Promise<void>;
}

/**
 * Creates the schedule-admin service.
 *
 * @example
 * const admin = createScheduleAdmin(deps);
 * await admin.setEnabled('reports.nightly', false);
 * await admin.updateCron('reports.nightly', '0 4 * * *', 'Europe/Berlin');
 */
export function createScheduleAdmin(deps: ServiceDeps): ScheduleAdmin {
  const { store } = deps;

  async function load(jobName: unknown): Promise<Schedule> {
    if (typeof jobName !== 'string' || jobName === '') {
      throw new InvalidArgumentError('jobName', `must be a non-empty string, got ${describeValue(jobName)}.`);
    }
    const schedule = await store.scheduleGet({ jobName });
    if (schedule === undefined) throw new ScheduleNotFoundError(jobName);
    return schedule;
  }

  async function update(params: Parameters<typeof store.scheduleUpdate>[0]): Promise<Schedule> {
    const updated = await store.scheduleUpdate(params);
    // Deleted between our read and this write.
    if (updated === undefined) throw new ScheduleNotFoundError(params.jobName);
    return updated;
  }

  return {
    async list(options = {}) {
      const upcomingCount = checkCount(options.upcomingCount ?? 3, 'options.upcomingCount', 0);
      const schedules = await store.scheduleList({ includeDisabled: options.includeDisabled ?? false });
      return schedules.map((schedule) => viewOf(deps, schedule, upcomingCount));
    },
    async setEnabled(jobName, enabled) {
      if (typeof enabled !== 'boolean') throw new InvalidArgumentError('enabled', `must be true or false, got ${describeValue(enabled)}.`);
      const schedule = await load(jobName);
      if (!enabled) {
        if (!schedule.enabled && schedule.nextRunAt === null) return schedule;
        return update({ jobName: schedule.jobName, enabled: false, nextRunAt: null, updatedBy: 'admin' });
      }
      if (schedule.enabled && schedule.nextRunAt !== null) return schedule;
      const cron = parseSchedule({ cron: schedule.cron, timeZone: schedule.timeZone });
      const nextRunAt = cron.nextAfter(await store.clockNow());
      return update({ jobName: schedule.jobName, enabled: true, nextRunAt, lastError: null, updatedBy: 'admin' });
    },
    async updateCron(jobName, cron, timeZone) {
      const schedule = await load(jobName);
      if (typeof cron !== 'string') throw new InvalidArgumentError('cron', `must be a string, got ${describeValue(cron)}.`);
      if (timeZone !== undefined && typeof timeZone !== 'string') {
        throw new InvalidArgumentError('timeZone', `must be an IANA zone id such as "Europe/Berlin", got ${describeValue(timeZone)}.`);
      }
      const parsed = parseSchedule({ cron, timeZone: timeZone ?? schedule.timeZone });
      const nextRunAt = schedule.enabled ? parsed.nextAfter(await store.clockNow()) : null;
      return update({
        jobName: schedule.jobName,
        cron: parsed.cron,
        timeZone: parsed.timeZone,
        nextRunAt,
        lastError: null,
        updatedBy: 'admin',
      });
    },
    async runNow(jobName) {
      const schedule = await load(jobName);
      const job = deps.registry.require(schedule.jobName);
      // The same checks and defaults as an enqueue: the stored payload may predate the job's schema.
      const run = await prepareRun(deps, job, schedule.payload, undefined, 'opts', 'run-now');
      const info = { jobName: run.jobName, queue: run.queue, origin: run.origin };
      const [result] = await instrumentEnqueue(deps.instrumentation, info, [run], (traced) => store.runInsertMany({ runs: traced }));
      return result!.runId;
    },
    async preview(jobName, count = 5) {
      const checkedCount = checkCount(count, 'count', 1);
      const schedule = await load(jobName);
      const cron = parseSchedule({ cron: schedule.cron, timeZone: schedule.timeZone });
      return cron.nextOccurrences(await store.clockNow(), checkedCount);
    },
    async delete(jobName) {
      const schedule = await load(jobName);
      if (!(await store.scheduleDelete({ jobName: schedule.jobName }))) throw new ScheduleNotFoundError(schedule.jobName);
    },
  };
}

function viewOf(deps: ServiceDeps, schedule: Schedule, upcomingCount: number): ScheduleView {
  let cron: CronSchedule | undefined;
  try {
    cron = parseSchedule({ cron: schedule.cron, timeZone: schedule.timeZone });
  } catch (error) {
    // A stored schedule that no longer parses (edited by hand, a zone dropped from the tz database)
    // is still listed, so an admin can see and fix it.
    if (!DurablyError.isInstance(error)) throw error;
  }
  const upcoming =
    cron === undefined || schedule.nextRunAt === null || upcomingCount === 0
      ? []
      : [schedule.nextRunAt, ...(upcomingCount > 1 ? cron.nextOccurrences(schedule.nextRunAt, upcomingCount - 1) : [])];
  return {
    ...schedule,
    description: cron?.describe() ?? null,
    upcoming,
    definedInCode: deps.registry.get(schedule.jobName)?.recurring !== undefined,
  };
}

function checkCount(count: unknown, argument: string, min: number): number {
  if (typeof count !== 'number' || !Number.isInteger(count) || count < min || count > previewMaxCount) {
    throw new InvalidArgumentError(argument, `must be an integer from ${min} to ${previewMaxCount}, got ${String(count)}.`);
  }
  return count;
}
