import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { describeFailure, usageError } from './cli-error.js';
import { writeLine, type CliIo } from './cli-io.js';
import { createCliSession, type GlobalFlags } from './cli-session.js';
import type { CommandSpec, FlagValues, ParseArgsOptionsConfig } from './command-spec.js';
import { findCommand } from './commands/command-table.js';
import { exitCodes, type ExitCode } from './exit-codes.js';
import { commandHelp, generalHelp } from './help-text.js';

const globalOptions: ParseArgsOptionsConfig = {
  'database-url': { type: 'string' },
  config: { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
};

/**
 * Runs one `durably` command line and resolves to its exit code (see `exitCodes`); it never
 * throws and never calls `process.exit`, so tests run commands in-process. Errors are written to
 * `io.stderr` as one line, without a stack trace.
 *
 * @example
 * const code = await runCli(['runs', 'show', runId, '--json'], { stdout: process.stdout, stderr: process.stderr, env: process.env });
 */
export async function runCli(argv: readonly string[], io: CliIo): Promise<ExitCode> {
  if (argv.length === 0 || argv[0] === '--help' || argv[0] === '-h' || argv[0] === 'help') {
    // Asked for, help is the output (stdout, 0); without a command it explains a usage error (stderr, 2).
    if (argv.length === 0) {
      io.stderr.write(generalHelp());
      return exitCodes.usage;
    }
    io.stdout.write(generalHelp());
    return exitCodes.ok;
  }
  if (argv[0] === '--version' || argv[0] === '-v') {
    writeLine(io.stdout, cliVersion());
    return exitCodes.ok;
  }
  const found = findCommand(argv);
  if (found === undefined) {
    const word = argv.find((token) => !token.startsWith('-'));
    const what = word === undefined ? 'no command given' : `unknown command "${word}"`;
    writeLine(io.stderr, `durably: ${what}. Run \`durably --help\` for the list.`);
    return exitCodes.usage;
  }
  const { command, rest } = found;
  let session: ReturnType<typeof createCliSession> | undefined;
  try {
    const parsed = parseCommandLine(command, rest);
    if (parsed.flags.help === true) {
      io.stdout.write(commandHelp(command));
      return exitCodes.ok;
    }
    session = createCliSession(io, parsed.global);
    const code = await command.run({ session, args: parsed.args, flags: parsed.flags });
    return code ?? exitCodes.ok;
  } catch (error) {
    const failure = describeFailure(error);
    writeLine(io.stderr, `durably ${command.name}: ${failure.message}`);
    return failure.exitCode;
  } finally {
    await session?.close().catch(() => {});
  }
}

function parseCommandLine(
  command: CommandSpec,
  rest: string[],
): { global: GlobalFlags; args: string[]; flags: FlagValues } {
  let parsed: { values: FlagValues; positionals: string[] };
  try {
    parsed = parseArgs({
      args: rest,
      options: { ...globalOptions, ...command.options },
      allowPositionals: true,
      strict: true,
    });
  } catch (error) {
    // parseArgs's messages name the flag ("Unknown option '--limt'"); add where to look.
    const text = error instanceof Error ? error.message : String(error);
    const message = text
      .replace(/\. To specify a positional.*$/s, '')
      .replace(/\s*\n\s*/g, ' ')
      .replace(/\.$/, '');
    return usageError(`${message}. Run \`durably ${command.name} --help\`.`);
  }
  const { values, positionals } = parsed;
  const required = command.required ?? [];
  if (values.help !== true) {
    if (positionals.length < required.length) {
      usageError(
        `missing <${required[positionals.length]}>. Usage: durably ${command.name} ${command.synopsis}`,
      );
    }
    if (positionals.length > (command.maxArgs ?? required.length)) {
      usageError(
        `unexpected argument "${positionals[command.maxArgs ?? required.length]}". Usage: durably ${command.name} ${command.synopsis}`.trimEnd(),
      );
    }
  }
  const global: GlobalFlags = {
    databaseUrl: typeof values['database-url'] === 'string' ? values['database-url'] : undefined,
    config: typeof values.config === 'string' ? values.config : undefined,
    json: values.json === true,
  };
  return { global, args: positionals, flags: values };
}

/** This package's version; `package.json` is one folder up from both `src/` and `dist/`. */
function cliVersion(): string {
  const manifest = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
    version: string;
  };
  return manifest.version;
}
