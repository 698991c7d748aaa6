import { isTerminalStatus, RunNotFoundError } from '@durably/core';
import { writeJson, writeLine } from '../cli-io.js';
import type { CommandSpec } from '../command-spec.js';

/**
 * `durably retry <runId>`: makes a finished run (failed, cancelled, succeeded, skipped) run again,
 * due now, with one more attempt allowed. A run that is still active is left alone and the command
 * says so (exit 0: the run will execute anyway).
 */
export const retryCommand: CommandSpec = {
  name: 'retry',
  summary: 'Run a finished (failed, cancelled, …) run again, due now',
  synopsis: '<runId>',
  required: ['runId'],
  async run({ session, args }) {
    const runId = args[0]!;
    const store = await session.store();
    const before = await store.runGet({ runId });
    if (before === undefined) throw new RunNotFoundError(runId);
    if (!isTerminalStatus(before.status)) {
      report(
        session,
        { runId, outcome: 'already_active', status: before.status },
        `Run ${runId} is ${before.status}; nothing to retry.`,
      );
      return;
    }
    const after = await store.runRetry({ runId });
    if (after === undefined) throw new RunNotFoundError(runId);
    report(
      session,
      { runId, outcome: 'retried', status: after.status },
      `Run ${runId} is ${after.status} again (was ${before.status}).`,
    );
  },
};

function report(session: Parameters<CommandSpec['run']>[0]['session'], result: object, text: string): void {
  if (session.flags.json) writeJson(session.io.stdout, result);
  else writeLine(session.io.stdout, text);
}
