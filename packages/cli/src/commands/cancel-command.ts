import { RunNotFoundError } from '@durably/core';
import { writeJson, writeLine } from '../cli-io.js';
import type { CommandSpec } from '../command-spec.js';

const sentences = {
  cancelled: 'cancelled.',
  cancel_requested:
    'is running; its worker was asked to stop it (it ends cancelled when the handler returns).',
  already_finished: 'had already finished; nothing to cancel.',
} as const;

/**
 * `durably cancel <runId>`: cancels a pending or waiting run at once, or asks the worker running it
 * to stop. Cancelling a finished run is a no-op that says so (exit 0); an unknown id exits 3.
 */
export const cancelCommand: CommandSpec = {
  name: 'cancel',
  summary: 'Cancel a run (a running one is asked to stop)',
  synopsis: '<runId>',
  required: ['runId'],
  async run({ session, args }) {
    const runId = args[0]!;
    const { client } = await session.services();
    const result = await client.cancel(runId);
    if (result.outcome === 'not_found') throw new RunNotFoundError(runId);
    const status = result.run?.status;
    if (session.flags.json) writeJson(session.io.stdout, { runId, outcome: result.outcome, status });
    else writeLine(session.io.stdout, `Run ${runId} ${sentences[result.outcome]}`);
  },
};
