import { usageError } from '../cli-error.js';
import { writeJson, writeLine } from '../cli-io.js';
import { standInJob } from '../cli-session.js';
import type { CommandSpec } from '../command-spec.js';

/**
 * `durably schedules run-now <job>`: enqueues one ad-hoc run with the schedule's stored payload,
 * without moving the schedule. Like `enqueue`, it needs the job from `--config` (its schema checks
 * the stored payload), or `--allow-unknown`.
 */
export const schedulesRunNowCommand: CommandSpec = {
  name: 'schedules run-now',
  summary: 'Enqueue one run of a scheduled job now (schedule unchanged)',
  synopsis: '<job>',
  flagHelp: ['--allow-unknown   run a job the --config module does not define (by name)'],
  options: { 'allow-unknown': { type: 'boolean' } },
  required: ['job'],
  async run({ session, args, flags }) {
    const jobName = args[0]!;
    const config = await session.config();
    const defined = config?.jobs.some((job) => job.name === jobName) ?? false;
    if (!defined && flags['allow-unknown'] !== true) {
      usageError(
        `run-now needs --config <module> exporting the job "${jobName}", or --allow-unknown to enqueue it by name for a worker elsewhere.`,
      );
    }
    const { schedules } = await session.services(defined ? [] : [standInJob(jobName, {})]);
    const runId = await schedules.runNow(jobName);
    if (session.flags.json) writeJson(session.io.stdout, { runId, jobName });
    else writeLine(session.io.stdout, `Enqueued ${jobName} now: ${runId}`);
  },
};
