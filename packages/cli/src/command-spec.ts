import type { ParseArgsConfig } from 'node:util';

/** The flag definitions `parseArgs` takes. */
export type ParseArgsOptionsConfig = NonNullable<ParseArgsConfig['options']>;
import type { CliSession } from './cli-session.js';
import type { ExitCode } from './exit-codes.js';

/** The parsed flags of one command (`--limit 5` → `{ limit: '5' }`). */
export type FlagValues = Record<string, string | boolean | (string | boolean)[] | undefined>;

/** What a command's `run` receives. */
export interface CommandInput {
  session: CliSession;
  /** Positional arguments after the command (and subcommand) name. */
  args: string[];
  flags: FlagValues;
}

/** One command (or subcommand) of `durably`. */
export interface CommandSpec {
  /** As typed: `migrate`, `runs show`, `schedules set-cron`. */
  name: string;
  /** One line for `durably --help`. */
  summary: string;
  /** Argument synopsis after the name, e.g. `<runId>`. */
  synopsis: string;
  /** Help lines for the command's own flags. */
  flagHelp?: readonly string[];
  /** The command's own flags (the global ones are added). */
  options?: ParseArgsOptionsConfig;
  /** Names of the required positional arguments, in order. */
  required?: readonly string[];
  /** Most positional arguments accepted. Default: `required.length`. */
  maxArgs?: number;
  /** Runs the command; returns an exit code, 0 when nothing is returned. */
  run(input: CommandInput): Promise<ExitCode | void>;
}

/** A string flag's value, or `undefined`. */
export function stringFlag(flags: FlagValues, name: string): string | undefined {
  const value = flags[name];
  return typeof value === 'string' ? value : undefined;
}
