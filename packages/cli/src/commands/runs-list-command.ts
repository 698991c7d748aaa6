import { runStatuses, type Run, type RunStatus } from '@durably/core';
import { usageError } from '../cli-error.js';
import { writeJson, writeLine } from '../cli-io.js';
import { stringFlag, type CommandSpec } from '../command-spec.js';
import { formatTable, formatTime } from '../format-table.js';
import { parsePositiveInteger } from '../parse-values.js';

/** `durably runs`: the newest runs, filtered by status, job or queue. */
export const runsListCommand: CommandSpec = {
  name: 'runs',
  summary: 'List runs, newest first (--status, --job, --queue, --limit)',
  synopsis: '',
  flagHelp: [
    '--status <s[,s]>   only these statuses: ' + runStatuses.join(', '),
    '--job <name>       only runs of this job',
    '--queue <name>     only runs in this queue',
    '--limit <n>        at most n runs (default 20, at most 1000)',
    '--cursor <c>       the next page: the cursor the previous page printed',
  ],
  options: {
    status: { type: 'string', multiple: true },
    job: { type: 'string' },
    queue: { type: 'string' },
    limit: { type: 'string' },
    cursor: { type: 'string' },
  },
  async run({ session, flags }) {
    const statuses = parseStatuses((flags.status as string[] | undefined) ?? []);
    const limitText = stringFlag(flags, 'limit');
    const take = limitText === undefined ? 20 : Math.min(parsePositiveInteger(limitText, '--limit'), 1000);
    const jobName = stringFlag(flags, 'job');
    const queue = stringFlag(flags, 'queue');
    const cursor = stringFlag(flags, 'cursor');
    const { runs } = await session.services();
    const page = await runs.list({
      take,
      ...(statuses.length > 0 ? { statuses } : {}),
      ...(jobName === undefined ? {} : { jobName }),
      ...(queue === undefined ? {} : { queue }),
      ...(cursor === undefined ? {} : { cursor }),
    });
    if (session.flags.json) {
      writeJson(session.io.stdout, { runs: page.runs, nextCursor: page.nextCursor });
      return;
    }
    session.io.stdout.write(
      formatTable(
        ['run id', 'job', 'status', 'attempt', 'created', 'run at', 'finished'],
        page.runs.map(runRow),
        'No runs match.',
      ),
    );
    if (page.nextCursor !== null) writeLine(session.io.stdout, `More runs: add --cursor ${page.nextCursor}`);
  },
};

function runRow(run: Run): string[] {
  return [
    run.runId,
    run.jobName,
    run.status,
    `${run.attempt}/${run.maxAttempts}`,
    formatTime(run.createdAt),
    formatTime(run.runAt),
    formatTime(run.finishedAt),
  ];
}

/** `--status failed,cancelled --status pending` → the three statuses, each checked. */
function parseStatuses(values: readonly string[]): RunStatus[] {
  const statuses = values
    .flatMap((value) => value.split(','))
    .map((value) => value.trim())
    .filter((value) => value !== '');
  for (const status of statuses) {
    if (!(runStatuses as readonly string[]).includes(status)) {
      usageError(`--status: unknown status "${status}"; use one of ${runStatuses.join(', ')}.`);
    }
  }
  return [...new Set(statuses)] as RunStatus[];
}
