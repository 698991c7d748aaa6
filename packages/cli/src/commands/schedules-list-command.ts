import type { ScheduleView } from '@durably/core';
import { writeJson } from '../cli-io.js';
import type { CommandSpec } from '../command-spec.js';
import { formatTable, formatTime } from '../format-table.js';

/** `durably schedules`: every stored recurring schedule, enabled or not, with its next slot. */
export const schedulesListCommand: CommandSpec = {
  name: 'schedules',
  summary: 'List recurring schedules (enabled and disabled) with their next slots',
  synopsis: '',
  async run({ session }) {
    const { schedules } = await session.services();
    const views = await schedules.list({ includeDisabled: true, upcomingCount: 3 });
    if (session.flags.json) {
      writeJson(session.io.stdout, { schedules: views.map(jsonView) });
      return;
    }
    session.io.stdout.write(
      formatTable(
        ['job', 'state', 'cron', 'zone', 'next run', 'description', 'last run'],
        views.map((view) => [
          view.jobName,
          view.lastError ? 'paused' : view.enabled ? 'enabled' : 'disabled',
          view.cron,
          view.timeZone,
          formatTime(view.nextRunAt),
          view.lastError ? `error: ${view.lastError}` : (view.description ?? '-'),
          view.lastRunId ?? '-',
        ]),
        'No recurring schedules. They are created when a worker with recurring jobs starts.',
      ),
    );
  },
};

/** The view without `definedInCode`: the CLI has no code unless `--config` is given, so it would mislead. */
function jsonView(view: ScheduleView): Omit<ScheduleView, 'definedInCode'> {
  const { definedInCode: _definedInCode, ...rest } = view;
  return rest;
}
