import { ConfigurationError } from '../errors.js';
import type { DurablyOptions, OptionPath } from './durably-options.js';
import { envNameOf, optionPaths, optionTable } from './option-table.js';
import { parseOptionText } from './option-value.js';
import { setPath } from './set-path.js';
import { suggestKey } from './suggest-key.js';

/** Environment variable → option path, generated from the option table. */
const pathByEnvName: ReadonlyMap<string, OptionPath> = new Map(
  optionPaths.map((path) => [envNameOf(path), path]),
);

/**
 * `DURABLY_*` names that belong to other tools (the CLI's database URL, the dashboard's admin
 * token, test and benchmark settings) and are therefore not options.
 */
function isForeign(name: string): boolean {
  return (
    name === 'DURABLY_DATABASE_URL' ||
    name === 'DURABLY_ADMIN_TOKEN' ||
    name.startsWith('DURABLY_TEST_') ||
    name.startsWith('DURABLY_BENCH_')
  );
}

/**
 * Reads options from environment variables named `DURABLY_` + the upper snake case of the dotted
 * path (`DURABLY_POLL_INTERVAL_SECONDS`, `DURABLY_RETENTION_RUN_RETENTION_SECONDS`). Values are read
 * by the option's type: booleans `true`/`false`/`1`/`0`, numbers, comma-separated lists (`queues`).
 * An empty variable counts as unset. Variables without the `DURABLY_` prefix are ignored.
 *
 * @throws ConfigurationError naming the variable when a `DURABLY_*` variable is not an option
 *   (except `DURABLY_DATABASE_URL`, `DURABLY_ADMIN_TOKEN`, `DURABLY_TEST_*` and `DURABLY_BENCH_*`), or its
 *   value cannot be read.
 */
export function readOptionsEnv(env: NodeJS.ProcessEnv): DurablyOptions {
  const result: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(env)) {
    if (!name.startsWith('DURABLY_') || isForeign(name)) continue;
    const path = pathByEnvName.get(name);
    if (path === undefined) throw unknownVariable(name);
    if (value === undefined || value === '') continue;
    const parsed = parseOptionText(path, optionTable[path], value, `environment variable ${name}`);
    setPath(result, path, parsed);
  }
  return result as DurablyOptions;
}

function unknownVariable(name: string): ConfigurationError {
  const suggestion = suggestKey(name, pathByEnvName.keys());
  const hint = suggestion ? `did you mean ${suggestion}? ` : '';
  return new ConfigurationError(
    name,
    `environment variable ${name} is not a Durably option; ${hint}describeOptions() lists every variable`,
  );
}
