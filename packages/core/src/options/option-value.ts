import { parseDuration } from '../duration.js';
import { ConfigurationError } from '../errors.js';
import type { OptionSpec, OptionValue } from './option-table.js';

/**
 * Checks one option value given in code (or already parsed from text) and returns its resolved
 * form: the default for `undefined`/`null`, durations in milliseconds, enums in kebab-case.
 *
 * @throws ConfigurationError naming `path` for a wrong type or an out-of-range value.
 */
export function resolveOptionValue(path: string, spec: OptionSpec, value: unknown): OptionValue {
  if (value === undefined || value === null) return defaultOf(spec);
  switch (spec.kind) {
    case 'boolean':
      if (typeof value !== 'boolean') throw wrongType(path, 'true or false', value);
      return value;
    case 'integer':
    case 'number':
      return resolveNumber(path, spec, value);
    case 'duration':
      if (typeof value !== 'number' && typeof value !== 'string') throw wrongType(path, 'a duration', value);
      return parseDuration(value, path);
    case 'enum':
      return resolveEnum(path, spec, value);
    case 'string-list':
      return resolveList(path, value);
    case 'string':
      return resolveString(path, spec, value);
  }
}

/** The default of an option (computed defaults are computed now). */
export function defaultOf(spec: OptionSpec): OptionValue {
  return typeof spec.default === 'function' ? spec.default() : spec.default;
}

/**
 * Reads a value written as text (an environment variable, or a string in a JSON file) by the
 * option's type: booleans `true`/`false`/`1`/`0`, numbers, comma-separated lists. Strings,
 * enums and durations stay text; `resolveOptionValue` checks them.
 *
 * @param origin where the text came from, for the error, e.g. `environment variable DURABLY_BATCH_SIZE`.
 */
export function parseOptionText(path: string, spec: OptionSpec, text: string, origin: string): unknown {
  const trimmed = text.trim();
  switch (spec.kind) {
    case 'boolean': {
      const lower = trimmed.toLowerCase();
      if (lower === 'true' || lower === '1') return true;
      if (lower === 'false' || lower === '0') return false;
      throw new ConfigurationError(path, `${origin} is ${JSON.stringify(text)}; use true, false, 1 or 0`);
    }
    case 'integer':
    case 'number':
      if (!/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(trimmed)) {
        throw new ConfigurationError(path, `${origin} is ${JSON.stringify(text)}; use a number`);
      }
      return Number(trimmed);
    case 'string-list':
      return trimmed
        .split(',')
        .map((item) => item.trim())
        .filter((item) => item !== '');
    default:
      return text;
  }
}

function resolveNumber(path: string, spec: OptionSpec, value: unknown): number {
  if (typeof value !== 'number' || Number.isNaN(value)) throw wrongType(path, 'a number', value);
  if (!Number.isFinite(value))
    throw new ConfigurationError(path, `${value} is not finite; use a finite number`);
  // The reference's rule for some counts and intervals: zero or negative means "use the default".
  if (spec.resetWhenNotPositive && value <= 0) return defaultOf(spec) as number;
  if (spec.kind === 'integer' && !Number.isInteger(value)) {
    throw new ConfigurationError(path, `${value} is not a whole number; use an integer`);
  }
  const min = spec.min ?? -Infinity;
  const max = spec.max ?? Infinity;
  if (value < min || value > max) {
    throw new ConfigurationError(path, `${value} is out of range; use a value from ${min} to ${max}`);
  }
  return value;
}

/** Lower-case without `-`, `_` and spaces, so `SkipMissed`, `skip-missed` and `SKIP_MISSED` match. */
function enumKey(text: string): string {
  return text.replace(/[-_\s]/g, '').toLowerCase();
}

function resolveEnum(path: string, spec: OptionSpec, value: unknown): string {
  const values = spec.values ?? [];
  if (typeof value === 'string') {
    const key = enumKey(value);
    const canonical =
      values.find((candidate) => enumKey(candidate) === key) ??
      Object.entries(spec.aliases ?? {}).find(([alias]) => enumKey(alias) === key)?.[1];
    if (canonical !== undefined) return canonical;
  }
  throw new ConfigurationError(
    path,
    `${describeValue(value)} is not one of ${values.map((v) => JSON.stringify(v)).join(', ')}`,
  );
}

function resolveList(path: string, value: unknown): readonly string[] {
  if (!Array.isArray(value)) throw wrongType(path, 'an array of strings', value);
  const items = value.map((item: unknown, index) => {
    if (typeof item !== 'string' || item.trim() === '') {
      throw new ConfigurationError(`${path}[${index}]`, `${describeValue(item)} is not a non-empty string`);
    }
    return item.trim();
  });
  if (items.length === 0) {
    throw new ConfigurationError(
      path,
      'is an empty list, which would consume nothing; omit it to consume all queues',
    );
  }
  return Object.freeze([...new Set(items)]);
}

function resolveString(path: string, spec: OptionSpec, value: unknown): string | undefined {
  if (typeof value !== 'string') throw wrongType(path, 'a string', value);
  // An empty connection string, secret or URL means "not set", as in the reference's config files.
  if (value === '' && spec.default === undefined) return undefined;
  const problem = spec.check?.(value);
  if (problem !== undefined) throw new ConfigurationError(path, problem);
  return value;
}

function wrongType(path: string, expected: string, value: unknown): ConfigurationError {
  return new ConfigurationError(path, `expected ${expected}, got ${describeValue(value)}`);
}

function describeValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object' && value !== null) return 'an object';
  return `${typeof value} ${String(value)}`;
}
