import { RunNotFoundError, type Attempt, type Run, type RunLogLine } from '@durably/core';
import { writeJson, writeLine, type TextSink } from '../cli-io.js';
import type { CommandSpec } from '../command-spec.js';
import { formatTable, formatTime } from '../format-table.js';

/** `durably runs show <runId>`: one run with its attempts, log lines and last error. */
export const runsShowCommand: CommandSpec = {
  name: 'runs show',
  summary: 'Show one run: status, payload, progress, attempts, log lines, error',
  synopsis: '<runId>',
  required: ['runId'],
  async run({ session, args }) {
    const runId = args[0]!;
    const { runs } = await session.services();
    const run = await runs.get(runId);
    if (run === undefined) throw new RunNotFoundError(runId);
    const attempts = await runs.attempts(runId);
    const logs = await runs.logs(runId);
    if (session.flags.json) {
      writeJson(session.io.stdout, { run, attempts, logs });
      return;
    }
    writeRun(session.io.stdout, run, attempts, logs);
  },
};

function writeRun(out: TextSink, run: Run, attempts: readonly Attempt[], logs: readonly RunLogLine[]): void {
  const fields: [string, string][] = [
    ['Run', run.runId],
    ['Job', run.jobName],
    ['Status', run.status],
    ['Attempt', `${run.attempt} of ${run.maxAttempts}`],
    ['Queue', `${run.queue} (priority ${run.priority})`],
    ['Origin', run.origin],
    ['Created', formatTime(run.createdAt)],
    ['Run at', formatTime(run.runAt)],
    ['Started', formatTime(run.startedAt)],
    ['Finished', formatTime(run.finishedAt)],
  ];
  if (run.key !== null) fields.push(['Key', run.key]);
  if (run.progressPercent !== null)
    fields.push([
      'Progress',
      `${run.progressPercent}%${run.progressMessage ? ` ${run.progressMessage}` : ''}`,
    ]);
  if (run.cancelRequestedAt !== null) fields.push(['Cancel asked', formatTime(run.cancelRequestedAt)]);
  fields.push(['Payload', JSON.stringify(run.payload) ?? 'undefined']);
  for (const [label, value] of fields) writeLine(out, `${`${label}:`.padEnd(14)}${value}`);
  if (run.lastError) writeLine(out, `${'Error:'.padEnd(14)}${run.lastError.name}: ${run.lastError.message}`);
  writeLine(out);
  writeLine(out, 'Attempts');
  out.write(
    formatTable(
      ['#', 'worker', 'started', 'finished', 'outcome', 'error'],
      attempts.map((a) => [
        String(a.attempt),
        a.workerName,
        formatTime(a.startedAt),
        formatTime(a.finishedAt),
        a.outcome,
        a.error ? `${a.error.name}: ${a.error.message}` : '',
      ]),
      '(no finished attempt yet)',
    ),
  );
  writeLine(out);
  writeLine(out, 'Log');
  out.write(
    formatTable(
      ['at', 'attempt', 'level', 'message'],
      logs.map((line) => [formatTime(line.at), String(line.attempt), line.level, line.message]),
      '(no log lines)',
    ),
  );
}
