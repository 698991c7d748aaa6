import { ConfigurationError } from '../errors.js';
import type { DurablyOptions, OptionPath, ResolvedOptions } from './durably-options.js';
import { envNameOf, optionSpecOf } from './option-table.js';
import { readOptionsEnv } from './read-options-env.js';
import { readOptionsFile } from './read-options-file.js';
import { resolveOptions } from './resolve-options.js';

/** Where `loadOptions` reads options from; every source is optional. */
export interface OptionSources {
  /** Options given in code. They win over every other source. */
  object?: DurablyOptions;
  /** Path of a JSON file (plain, or wrapped in `durably`/`Durably`; PascalCase keys accepted). */
  jsonFile?: string;
  /**
   * Environment to read `DURABLY_*` variables from, usually `process.env`. Durably never reads
   * `process.env` on its own: pass it here to opt in.
   */
  env?: NodeJS.ProcessEnv;
  /** Require the selected durable provider's connection string. Default `false`. */
  requireConnection?: boolean;
}

/**
 * Merges options from a JSON file, the environment and code, then validates them all.
 *
 * Precedence, lowest first: defaults < JSON file < environment < object. Environment beats the file
 * because the file is usually shared and checked in while the environment is the per-deployment
 * layer. Code beats both because a value written in code is part of the reviewed program and often
 * something the code depends on (a test's `tablePrefix`, a producer-only service's `workerMode`); a
 * stray variable on one machine must not silently change it. To make a value tunable per
 * deployment, leave it out of the code. `undefined` and `null` never override a lower source.
 *
 * Each source is validated on its own first, so an error says where the bad value came from.
 *
 * @throws ConfigurationError naming the option (or the environment variable, or `jsonFile`).
 * @example
 * const options = loadOptions({ jsonFile: 'durably.json', env: process.env, object: { workerMode: 'consumer' } });
 */
export function loadOptions(sources: OptionSources = {}): ResolvedOptions {
  const layers: Layer[] = [];
  if (sources.jsonFile !== undefined) {
    const file = sources.jsonFile;
    layers.push({ origin: () => file, options: readOptionsFile(file) });
  }
  if (sources.env !== undefined) {
    const origin = (key: string) =>
      optionSpecOf(key) ? `environment variable ${envNameOf(key as OptionPath)}` : 'the environment';
    layers.push({ origin, options: readOptionsEnv(sources.env) });
  }
  if (sources.object !== undefined)
    layers.push({ origin: () => 'the options object', options: sources.object });
  for (const layer of layers) checkLayer(layer);
  const merged = layers.reduce<Record<string, unknown>>(
    (result, layer) => mergeOptions(result, layer.options as Record<string, unknown>),
    Object.create(null) as Record<string, unknown>,
  );
  return resolveOptions(merged as DurablyOptions, { requireConnection: sources.requireConnection ?? false });
}

interface Layer {
  /** Where the value of an option came from, for errors. */
  origin: (key: string) => string;
  options: DurablyOptions;
}

function checkLayer(layer: Layer): void {
  try {
    // Rules between options are checked once, on the merged result: one source may hold half.
    resolveOptions(layer.options, { crossChecks: false });
  } catch (error) {
    if (!(error instanceof ConfigurationError)) throw error;
    const prefix = `Invalid option \`${error.key}\`: `;
    const detail = error.message.startsWith(prefix) ? error.message.slice(prefix.length) : error.message;
    throw new ConfigurationError(error.key, `${detail} (set in ${layer.origin(error.key)})`);
  }
}

/** Deep merge of option objects; `undefined`/`null` leaves in `upper` keep the lower value. */
function mergeOptions(
  lower: Record<string, unknown>,
  upper: Record<string, unknown>,
): Record<string, unknown> {
  // No prototype, so a "__proto__" key is merged as data (and rejected later) instead of re-parenting.
  const result = Object.assign(Object.create(null) as Record<string, unknown>, lower);
  for (const [key, value] of Object.entries(upper)) {
    if (value === undefined || value === null) continue;
    const below = result[key];
    result[key] = isMergeable(value) && isMergeable(below) ? mergeOptions(below, value) : value;
  }
  return result;
}

function isMergeable(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
