import { readFileSync } from 'node:fs';
import { ConfigurationError } from '../errors.js';
import type { DurablyOptions } from './durably-options.js';
import { optionGroups, optionPaths, optionSpecOf, optionTable } from './option-table.js';
import { parseOptionText } from './option-value.js';

/** Section names that wrap the options in a larger settings file (e.g. an appsettings.json). */
const sectionNames = new Set(['durably', 'durablestack']);

/**
 * Reads options from a JSON file: either a plain options object or one wrapped in a `durably` /
 * `Durably` key (other top-level keys are then ignored, so a shared settings file works). Key names
 * are matched case-insensitively, so the reference's PascalCase spellings (`PollIntervalSeconds`,
 * `Retention.RunRetentionSeconds`, `DatabaseTablePrefix`) work; numbers and booleans may be written
 * as strings, as .NET configuration files often do. Values are checked later by `resolveOptions`.
 *
 * @throws ConfigurationError with key `jsonFile` when the file cannot be read or is not JSON.
 */
export function readOptionsFile(file: string): DurablyOptions {
  const root = parseFile(file);
  const section = Object.entries(root).find(
    ([key, value]) => sectionNames.has(key.toLowerCase()) && isObject(value),
  )?.[1];
  return normalise((section ?? root) as Record<string, unknown>, '', file) as DurablyOptions;
}

function parseFile(file: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? String(error);
    throw new ConfigurationError('jsonFile', `cannot read ${file} (${reason}); check the path`);
  }
  let parsed: unknown;
  try {
    // Editors on Windows often save settings files with a byte-order mark, which JSON.parse rejects.
    parsed = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (error) {
    throw new ConfigurationError('jsonFile', `${file} is not valid JSON: ${(error as Error).message}`);
  }
  if (!isObject(parsed))
    throw new ConfigurationError('jsonFile', `${file} must hold a JSON object of options`);
  return parsed;
}

function normalise(node: Record<string, unknown>, prefix: string, file: string): Record<string, unknown> {
  const names = childNames(prefix);
  // No prototype: a "__proto__" key in the file stays an ordinary (and then rejected) key.
  const result = Object.create(null) as Record<string, unknown>;
  for (const [key, value] of Object.entries(node)) {
    const name = names.get(key.toLowerCase()) ?? key;
    const path = prefix ? `${prefix}.${name}` : name;
    const spec = optionSpecOf(path);
    if (spec && typeof value === 'string') {
      result[name] = parseOptionText(path, spec, value, `"${key}" in ${file}`);
    } else if (optionGroups.has(path) && isObject(value)) {
      result[name] = normalise(value, path, file);
    } else {
      result[name] = value; // unknown keys stay as written, so resolveOptions names them
    }
  }
  return result;
}

/** Lower-cased spelling → our name, for the options and groups directly under `prefix`. */
function childNames(prefix: string): Map<string, string> {
  const names = new Map<string, string>([['jobregistration', 'jobRegistration']]);
  const start = prefix ? `${prefix}.` : '';
  for (const path of [...optionGroups, ...optionPaths]) {
    const rest = path.startsWith(start) ? path.slice(start.length) : undefined;
    if (rest === undefined || rest.includes('.')) continue;
    names.set(rest.toLowerCase(), rest);
    const reference = optionSpecOf(path)
      ? optionTable[path as keyof typeof optionTable].referenceName
      : undefined;
    if (reference) names.set(reference.toLowerCase(), rest);
  }
  return names;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
