import type { Schedule, ScheduleView } from '@durably/core';
import { canSeePayload, type AdminRoute, type RouteContext } from './admin-route.js';
import { HttpError } from './http-error.js';
import { jsonResponse } from './json-response.js';

/** Upcoming occurrences listed per schedule. */
const upcomingCount = 5;

/** How the schedule's last run went (`null` when it has none, or it was deleted). */
export interface LastOutcome {
  runId: string;
  status: string;
  finishedAt: Date | null;
}

async function present(context: RouteContext, schedule: ScheduleView): Promise<Record<string, unknown>> {
  const last = schedule.lastRunId === null ? undefined : await context.services.store.runGet({ runId: schedule.lastRunId });
  const lastOutcome: LastOutcome | null = last ? { runId: last.runId, status: last.status, finishedAt: last.finishedAt } : null;
  const { payload, ...rest } = schedule;
  const show = canSeePayload(context);
  return { ...rest, ...(show ? { payload } : {}), payloadHidden: !show, lastOutcome };
}

async function findSchedule(context: RouteContext): Promise<ScheduleView> {
  const jobName = context.params.jobName!;
  const all = await context.services.schedules.list({ includeDisabled: true, upcomingCount });
  const found = all.find((schedule) => schedule.jobName === jobName);
  if (found === undefined) throw new HttpError(404, 'schedule_not_found', `No recurring schedule named "${jobName}" exists in the store.`);
  return found;
}

/** The stored record after a change, as the list shows it. */
async function afterChange(context: RouteContext, changed: Schedule): Promise<Response> {
  context.auditDetails.enabled = changed.enabled;
  return jsonResponse({ schedule: await present(context, await findSchedule(context)) });
}

const listSchedules: AdminRoute = {
  method: 'GET',
  path: '/schedules',
  async handle(context) {
    const all = await context.services.schedules.list({ includeDisabled: true, upcomingCount });
    return jsonResponse({ schedules: await Promise.all(all.map((schedule) => present(context, schedule))) });
  },
};

const getSchedule: AdminRoute = {
  method: 'GET',
  path: '/schedules/:jobName',
  async handle(context) {
    return jsonResponse({ schedule: await present(context, await findSchedule(context)) });
  },
};

function toggle(enabled: boolean): AdminRoute {
  return {
    method: 'POST',
    path: `/schedules/:jobName/${enabled ? 'enable' : 'disable'}`,
    action: enabled ? 'schedule.enable' : 'schedule.disable',
    targetParam: 'jobName',
    handle: async (context) => afterChange(context, await context.services.schedules.setEnabled(context.params.jobName!, enabled)),
  };
}

/** `POST /schedules/:jobName/cron` with `{ cron, timeZone? }`: 400 with the reason when invalid. */
const updateCron: AdminRoute = {
  method: 'POST',
  path: '/schedules/:jobName/cron',
  action: 'schedule.update',
  targetParam: 'jobName',
  async handle(context) {
    const { cron, timeZone } = context.body;
    if (typeof cron !== 'string' || cron.trim() === '') {
      throw new HttpError(400, 'invalid_argument', 'Send `{ "cron": "<expression>", "timeZone": "<IANA zone>" }`; `cron` is required.');
    }
    if (timeZone !== undefined && typeof timeZone !== 'string') {
      throw new HttpError(400, 'invalid_argument', '`timeZone` must be an IANA zone id such as "Europe/Berlin".');
    }
    // Audit what was asked for, also when it is rejected.
    context.auditDetails.cron = cron.slice(0, 200);
    context.auditDetails.timeZone = typeof timeZone === 'string' ? timeZone.slice(0, 100) : null;
    const changed = await context.services.schedules.updateCron(context.params.jobName!, cron, timeZone === '' ? undefined : timeZone);
    return afterChange(context, changed);
  },
};

const runNow: AdminRoute = {
  method: 'POST',
  path: '/schedules/:jobName/run-now',
  action: 'schedule.run-now',
  targetParam: 'jobName',
  async handle(context) {
    const runId = await context.services.schedules.runNow(context.params.jobName!);
    context.auditDetails.runId = runId;
    return jsonResponse({ runId });
  },
};

const deleteSchedule: AdminRoute = {
  method: 'DELETE',
  path: '/schedules/:jobName',
  action: 'schedule.delete',
  targetParam: 'jobName',
  async handle(context) {
    await context.services.schedules.delete(context.params.jobName!);
    return jsonResponse({ deleted: true, jobName: context.params.jobName });
  },
};

/** The schedule routes. */
export const scheduleRoutes: readonly AdminRoute[] = [
  listSchedules,
  getSchedule,
  toggle(true),
  toggle(false),
  updateCron,
  runNow,
  deleteSchedule,
];
