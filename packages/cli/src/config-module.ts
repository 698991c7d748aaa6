import { existsSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { isAbsolute, resolve } from 'node:path';
import type { AnyJobDefinition, DurablyOptions } from '@durably/core';
import { CliError, usageError } from './cli-error.js';
import { exitCodes } from './exit-codes.js';

/** What a `--config` module exports. */
export interface ConfigModule {
  /** The job definitions (`defineJob(...)`), listed explicitly. */
  jobs: readonly AnyJobDefinition[];
  /** Any `DurablyOptions` (they win over `DURABLY_*` variables, as in `createDurably`). */
  options: DurablyOptions;
}

/**
 * Loads a config module: named exports `jobs` (an array of job definitions) and optional `options`,
 * or a default export object with the same two keys. A TypeScript module needs a loader such as
 * `node --import tsx`; the built JavaScript of the app works as it is.
 */
export async function loadConfigModule(specifier: string, cwd: string): Promise<ConfigModule> {
  // `src/jobs.ts` is a file when one is there; otherwise the specifier is a package (`@acme/jobs`).
  const isPath =
    specifier.startsWith('.') ||
    isAbsolute(specifier) ||
    /\.[cm]?[jt]sx?$/.test(specifier) ||
    existsSync(resolve(cwd, specifier));
  const target = isPath ? pathToFileURL(resolve(cwd, specifier)).href : specifier;
  let loaded: Record<string, unknown>;
  try {
    loaded = (await import(target)) as Record<string, unknown>;
  } catch (error) {
    const detail = error instanceof Error ? error.message.split('\n')[0] : String(error);
    const code = (error as { code?: string } | null)?.code;
    // Plain `node` cannot import TypeScript: say how to run it rather than only that it failed.
    const hint =
      code === 'ERR_UNKNOWN_FILE_EXTENSION'
        ? ' (run the CLI with `node --import tsx`, or point --config at the built .js)'
        : '';
    throw new CliError(
      `--config: cannot load "${specifier}": ${detail}${hint}`,
      code === 'ERR_MODULE_NOT_FOUND' || hint ? exitCodes.usage : exitCodes.failure,
    );
  }
  const source = (isRecord(loaded.default) && 'jobs' in loaded.default ? loaded.default : loaded) as Record<
    string,
    unknown
  >;
  const jobs = source.jobs;
  if (!Array.isArray(jobs)) {
    usageError(
      `--config: "${specifier}" must export \`jobs\` (an array of defineJob() definitions), or a default object with \`jobs\`.`,
    );
  }
  const options = source.options ?? {};
  if (!isRecord(options))
    usageError(`--config: the \`options\` export of "${specifier}" must be an object of Durably options.`);
  return { jobs: jobs as AnyJobDefinition[], options: options as DurablyOptions };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
