import type { CommandSpec } from './command-spec.js';
import { commandTable } from './commands/command-table.js';
import { acceptedDatabaseUrls } from './create-store-from-url.js';

const globalFlagHelp = [
  '--database-url <url>  the database (default: $DURABLY_DATABASE_URL)',
  '--config <module>     a module exporting `jobs` and optional `options`',
  '--json                print JSON instead of tables (for scripts)',
  '-h, --help            show help',
  '-v, --version         print the version of @durably/cli',
];

/** `durably --help`. */
export function generalHelp(): string {
  const width = Math.max(...commandTable.map((command) => usageOf(command).length));
  return [
    'Usage: durably <command> [arguments] [flags]',
    '',
    'Commands:',
    ...commandTable.map((command) => `  ${usageOf(command).padEnd(width)}  ${command.summary}`),
    '',
    'Global flags:',
    ...globalFlagHelp.map((line) => `  ${line}`),
    '',
    'Database URLs:',
    ...acceptedDatabaseUrls.map((form) => `  ${form}`),
    '',
    'Exit codes: 0 ok, 1 runtime failure, 2 usage or bad input, 3 not found.',
    '',
  ].join('\n');
}

/** `durably <command> --help`. */
export function commandHelp(command: CommandSpec): string {
  return [
    `Usage: durably ${usageOf(command)} [flags]`,
    '',
    command.summary,
    '',
    ...(command.flagHelp?.length ? ['Flags:', ...command.flagHelp.map((line) => `  ${line}`), ''] : []),
    'Global flags:',
    ...globalFlagHelp.map((line) => `  ${line}`),
    '',
  ].join('\n');
}

function usageOf(command: CommandSpec): string {
  return command.synopsis ? `${command.name} ${command.synopsis}` : command.name;
}
