import type { CommandSpec } from '../command-spec.js';
import { cancelCommand } from './cancel-command.js';
import { dashboardCommand } from './dashboard-command.js';
import { enqueueCommand } from './enqueue-command.js';
import { migrateCommand } from './migrate-command.js';
import { retryCommand } from './retry-command.js';
import { runsListCommand } from './runs-list-command.js';
import { runsShowCommand } from './runs-show-command.js';
import { schedulesListCommand } from './schedules-list-command.js';
import { schedulesRunNowCommand } from './schedules-run-now-command.js';
import { schedulesSetCronCommand } from './schedules-set-cron-command.js';
import { schedulesToggleCommand } from './schedules-toggle-command.js';
import { statusCommand } from './status-command.js';
import { workerCommand } from './worker-command.js';

/** Every command, in the order `durably --help` lists them. */
export const commandTable: readonly CommandSpec[] = [
  migrateCommand,
  statusCommand,
  runsListCommand,
  runsShowCommand,
  enqueueCommand,
  retryCommand,
  cancelCommand,
  schedulesListCommand,
  schedulesToggleCommand(true),
  schedulesToggleCommand(false),
  schedulesSetCronCommand,
  schedulesRunNowCommand,
  workerCommand,
  dashboardCommand,
];

/** Other names of commands: `durably runs list` reads as naturally as `durably runs`. */
const aliases: ReadonlyMap<string, CommandSpec> = new Map([
  ['runs list', runsListCommand],
  ['schedules list', schedulesListCommand],
]);

/** Global flags that take a value, so their value is not mistaken for a command word. */
const valueFlags = new Set(['--database-url', '--config']);

/**
 * Finds the command `argv` names, wherever global flags stand (`durably --json runs show <id>`):
 * the first two words that are not flags or flag values, a two-word name (`runs show`) first.
 * Returns the command and every other argument.
 */
export function findCommand(argv: readonly string[]): { command: CommandSpec; rest: string[] } | undefined {
  const wordIndexes: number[] = [];
  for (let index = 0; index < argv.length && wordIndexes.length < 2; index++) {
    const token = argv[index]!;
    if (token === '--') break;
    if (valueFlags.has(token)) index++;
    else if (!token.startsWith('-')) wordIndexes.push(index);
  }
  const words = wordIndexes.map((index) => argv[index]!);
  const without = (count: number) => argv.filter((_, index) => !wordIndexes.slice(0, count).includes(index));
  const pair =
    commandTable.find((command) => command.name === `${words[0]} ${words[1]}`) ??
    aliases.get(`${words[0]} ${words[1]}`);
  if (pair) return { command: pair, rest: without(2) };
  const single = commandTable.find((command) => command.name === words[0]);
  return single ? { command: single, rest: without(1) } : undefined;
}
