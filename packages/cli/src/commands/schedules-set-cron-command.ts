import { stringFlag, type CommandSpec } from '../command-spec.js';
import { writeSchedule } from './schedules-toggle-command.js';

/**
 * `durably schedules set-cron <job> <cron> [--tz Zone]`: replaces the expression (and zone). The
 * expression is checked like a job definition's; an invalid cron or zone exits 2.
 */
export const schedulesSetCronCommand: CommandSpec = {
  name: 'schedules set-cron',
  summary: "Change a schedule's cron expression (and time zone with --tz)",
  synopsis: '<job> <cron>',
  flagHelp: ['--tz <zone>   IANA time zone, e.g. Europe/Berlin (default: the stored zone)'],
  options: { tz: { type: 'string' } },
  required: ['job', 'cron'],
  // An unquoted `0 3 * * *` arrives as five arguments: join them back.
  maxArgs: 8,
  async run({ session, args, flags }) {
    const { schedules } = await session.services();
    const cron = args.slice(1).join(' ');
    const schedule = await schedules.updateCron(args[0]!, cron, stringFlag(flags, 'tz'));
    writeSchedule(session, schedule, `Schedule ${schedule.jobName} now runs`);
  },
};
