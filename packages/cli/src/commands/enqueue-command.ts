import type { EnqueueOptions } from '@durably/core';
import { CliError, usageError } from '../cli-error.js';
import { exitCodes } from '../exit-codes.js';
import { writeJson, writeLine } from '../cli-io.js';
import { standInJob } from '../cli-session.js';
import { stringFlag, type CommandSpec, type FlagValues } from '../command-spec.js';
import { parseInteger, parseJsonFlag, parsePositiveInteger } from '../parse-values.js';

/**
 * `durably enqueue <job>`: enqueues one run. The job must be defined in the `--config` module, so
 * its schema checks the payload and its retry settings apply; `--allow-unknown` enqueues by name
 * for a worker elsewhere (no schema check here; the worker checks the payload before running it).
 */
export const enqueueCommand: CommandSpec = {
  name: 'enqueue',
  summary: 'Enqueue a run of a job (needs --config, or --allow-unknown)',
  synopsis: '<job>',
  flagHelp: [
    '--payload <json>     the payload, e.g. \'{"userId": 42}\' (default: none)',
    '--delay <duration>   run later: 30s, 10m, 1h, …',
    '--key <key>          idempotency key: an active run with the key is returned instead',
    "--queue <name>       override the job's queue",
    "--priority <n>       override the job's priority (higher first)",
    '--allow-unknown      enqueue a job the config does not define, by name',
    '--max-attempts <n>   attempts of an --allow-unknown run (default 3)',
  ],
  options: {
    payload: { type: 'string' },
    delay: { type: 'string' },
    key: { type: 'string' },
    queue: { type: 'string' },
    priority: { type: 'string' },
    'allow-unknown': { type: 'boolean' },
    'max-attempts': { type: 'string' },
  },
  required: ['job'],
  async run({ session, args, flags }) {
    const jobName = args[0]!;
    const payloadText = stringFlag(flags, 'payload');
    const payload = payloadText === undefined ? undefined : parseJsonFlag(payloadText, '--payload');
    const opts = enqueueOptions(flags);
    const config = await session.config();
    const defined = config?.jobs.some((job) => job.name === jobName) ?? false;
    const allowUnknown = flags['allow-unknown'] === true;
    if (!defined && !allowUnknown) {
      if (config === undefined) {
        usageError(
          `enqueue needs --config <module> exporting the job "${jobName}" (its schema checks the payload), or --allow-unknown to enqueue it by name for a worker elsewhere.`,
        );
      }
      const known = config.jobs.map((job) => job.name).join(', ') || 'none';
      throw new CliError(
        `The --config module defines no job "${jobName}" (it has: ${known}). Pass --allow-unknown to enqueue it by name anyway.`,
        exitCodes.notFound,
      );
    }
    const maxAttemptsText = stringFlag(flags, 'max-attempts');
    if (maxAttemptsText !== undefined && defined)
      usageError(
        '--max-attempts applies only to --allow-unknown jobs; a defined job uses its own maxAttempts.',
      );
    const extra = defined
      ? []
      : [
          standInJob(
            jobName,
            maxAttemptsText === undefined
              ? {}
              : { maxAttempts: parsePositiveInteger(maxAttemptsText, '--max-attempts') },
          ),
        ];
    const { client } = await session.services(extra);
    const runId = await client.enqueueByName(jobName, payload, opts);
    if (session.flags.json) writeJson(session.io.stdout, { runId, jobName });
    else writeLine(session.io.stdout, `Enqueued ${jobName}: ${runId}`);
  },
};

function enqueueOptions(flags: FlagValues): EnqueueOptions {
  const opts: EnqueueOptions = {};
  const delay = stringFlag(flags, 'delay');
  const key = stringFlag(flags, 'key');
  const queue = stringFlag(flags, 'queue');
  const priority = stringFlag(flags, 'priority');
  if (delay !== undefined) opts.delay = delay;
  if (key !== undefined) opts.key = key;
  if (queue !== undefined) opts.queue = queue;
  if (priority !== undefined) opts.priority = parseInteger(priority, '--priority');
  return opts;
}
