import type { Schedule } from '@durably/core';
import { writeJson, writeLine } from '../cli-io.js';
import type { CommandSpec } from '../command-spec.js';
import { formatTime } from '../format-table.js';

/**
 * `durably schedules enable <job>` / `disable <job>`. Disabling clears the next slot; enabling
 * computes it from now (slots missed while disabled are not replayed). The change is marked as an
 * admin change, so under `keep-database` a redeploy keeps it.
 */
export function schedulesToggleCommand(enabled: boolean): CommandSpec {
  const verb = enabled ? 'enable' : 'disable';
  return {
    name: `schedules ${verb}`,
    summary: enabled
      ? 'Enable a schedule (next slot computed from now)'
      : 'Disable a schedule (no slot fires until enabled)',
    synopsis: '<job>',
    required: ['job'],
    async run({ session, args }) {
      const { schedules } = await session.services();
      const schedule = await schedules.setEnabled(args[0]!, enabled);
      writeSchedule(session, schedule, `Schedule ${schedule.jobName} is ${enabled ? 'enabled' : 'disabled'}`);
    },
  };
}

/** Prints a changed schedule: JSON, or one line with its next slot. */
export function writeSchedule(
  session: Parameters<CommandSpec['run']>[0]['session'],
  schedule: Schedule,
  text: string,
): void {
  if (session.flags.json) {
    writeJson(session.io.stdout, { schedule });
    return;
  }
  const next = schedule.nextRunAt ? `next run ${formatTime(schedule.nextRunAt)}` : 'no next run';
  writeLine(session.io.stdout, `${text}: ${schedule.cron} (${schedule.timeZone}), ${next}.`);
}
