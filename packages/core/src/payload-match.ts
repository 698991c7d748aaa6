import { InvalidArgumentError } from './errors.js';

/** Most segments a `payloadMatch` path may have. */
export const maxPayloadPathSegments = 16;
/** Longest object key in a `payloadMatch` path, in characters (UTF-16 code units). */
export const maxPayloadPathKeyLength = 128;
/** Largest array index in a `payloadMatch` path (the largest 32-bit signed integer, which every database accepts). */
export const maxPayloadPathIndex = 2_147_483_647;

/** A JSON scalar: what a `payloadMatch` compares with. */
export type PayloadScalar = string | number | boolean | null;

/**
 * A search inside run payloads (`RunListParams.payloadMatch`): the JSON value at `path` equals
 * `value`. Strings are object keys, numbers array indexes: `['items', 0, 'sku']` is
 * `payload.items[0].sku`. Equality is JSON equality of scalars, so `"1"` ≠ `1`, `true` ≠ `1`, and
 * `null` matches a JSON `null` but not a missing key. Numbers compare as numbers (`1` = `1.0`);
 * strings compare exactly (case-sensitive, no Unicode normalisation).
 *
 * @example
 * ```ts
 * await store.runList({ limit: 50, payloadMatch: { path: ['user', 'id'], value: 'u1' } });
 * ```
 */
export interface PayloadMatch {
  /** 1 to 16 segments; keys non-empty and at most 128 characters; indexes integers >= 0. */
  readonly path: readonly (string | number)[];
  /** A string, a finite number, a boolean or `null`. */
  readonly value: PayloadScalar;
}

/**
 * Checks a `payloadMatch` argument, so every store rejects the same bad input the same way
 * (`InvalidArgumentError` naming `argument`, e.g. `payloadMatch.path[2]`) before it builds a query.
 */
export function checkPayloadMatch(match: PayloadMatch, argument = 'payloadMatch'): void {
  if (typeof match !== 'object' || match === null) {
    throw new InvalidArgumentError(argument, 'expected `{ path, value }`.');
  }
  const { path, value } = match;
  if (!Array.isArray(path) || path.length < 1 || path.length > maxPayloadPathSegments) {
    throw new InvalidArgumentError(
      `${argument}.path`,
      `expected an array of 1 to ${maxPayloadPathSegments} keys and indexes, e.g. ['user', 'id'].`,
    );
  }
  path.forEach((segment: unknown, index) => checkSegment(segment, `${argument}.path[${index}]`));
  const scalar =
    value === null ||
    typeof value === 'string' ||
    typeof value === 'boolean' ||
    (typeof value === 'number' && Number.isFinite(value));
  if (!scalar) {
    throw new InvalidArgumentError(
      `${argument}.value`,
      'expected a string, a finite number, a boolean or null (objects and arrays cannot be matched).',
    );
  }
}

function checkSegment(segment: unknown, argument: string): void {
  if (typeof segment === 'string') {
    if (segment.length >= 1 && segment.length <= maxPayloadPathKeyLength) return;
    throw new InvalidArgumentError(argument, `a key must have 1 to ${maxPayloadPathKeyLength} characters.`);
  }
  if (
    typeof segment === 'number' &&
    Number.isInteger(segment) &&
    segment >= 0 &&
    segment <= maxPayloadPathIndex
  ) {
    return;
  }
  throw new InvalidArgumentError(
    argument,
    `expected an object key (string) or an array index (integer from 0 to ${maxPayloadPathIndex}), got ${String(segment)}.`,
  );
}

/**
 * Whether `payload` (parsed JSON) matches: the reference semantics that every store's query
 * implements. Keys match only own keys of objects, indexes only elements of arrays.
 */
export function payloadMatches(payload: unknown, match: PayloadMatch): boolean {
  let current = payload;
  for (const segment of match.path) {
    if (typeof segment === 'number') {
      if (!Array.isArray(current) || segment >= current.length) return false;
      current = current[segment] as unknown;
    } else {
      if (typeof current !== 'object' || current === null || Array.isArray(current)) return false;
      if (!Object.prototype.hasOwnProperty.call(current, segment)) return false;
      current = (current as Record<string, unknown>)[segment];
    }
  }
  return current === match.value;
}
