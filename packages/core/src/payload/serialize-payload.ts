import { PayloadError } from '../errors.js';
import { appendPayloadPath } from './payload-path.js';
import { portableStringProblem } from './portable-string.js';

/** Default limit on a payload's size: 256 KiB of UTF-8 JSON. */
export const defaultPayloadMaxBytes = 256 * 1024;

/**
 * Nesting limit of a payload. Deeper values are almost always a mistake (a linked structure), and a
 * limit keeps the checker's recursion — and the databases' JSON parsers — far from their stack limits.
 */
export const payloadMaxDepth = 100;

export interface SerializePayloadOptions {
  /** Largest accepted size of the JSON text in UTF-8 bytes (the `payloadMaxBytes` option). */
  maxBytes: number;
}

/**
 * Turns a payload into the JSON text the store keeps, guaranteeing that parsing it back gives an
 * equal value: anything `JSON.stringify` would drop, change or choke on is refused with a
 * `PayloadError` whose `path` points at the value (`$.items[2].at`) and whose message says what to
 * use instead. Refused: BigInt, functions, symbols, `undefined` inside arrays and objects, sparse
 * arrays, NaN and ±Infinity, strings with `\u0000` or unpaired surrogates (PostgreSQL's `jsonb` refuses
 * them), cycles, non-plain objects (Date, Map, Set, class instances, anything
 * with `toJSON`), symbol keys and `__proto__` keys, and nesting deeper than {@link payloadMaxDepth}.
 *
 * A top-level `undefined` (a job without payload) is stored as `null`. `-0` is stored as `0`.
 * The size is checked last, on the UTF-8 bytes of the JSON, against `options.maxBytes`.
 *
 * @example
 * serializePayload('email.send', { userId: 'u1' }, { maxBytes: defaultPayloadMaxBytes }); // '{"userId":"u1"}'
 */
export function serializePayload(jobName: string, value: unknown, options: SerializePayloadOptions): string {
  if (value === undefined) return 'null';
  assertJsonValue(jobName, value, '$', new Set(), 0);
  const json = JSON.stringify(value);
  const bytes = Buffer.byteLength(json, 'utf8');
  if (bytes > options.maxBytes) {
    throw new PayloadError(
      jobName,
      '$',
      `the payload is ${bytes} bytes of JSON, more than the limit of ${options.maxBytes} (option ` +
        '`payloadMaxBytes`). Store large data elsewhere (a table, object storage) and pass its id.',
    );
  }
  return json;
}

function assertJsonValue(jobName: string, value: unknown, path: string, ancestors: Set<object>, depth: number): void {
  switch (typeof value) {
    case 'string':
      assertPortableString(jobName, value, path);
      return;
    case 'boolean':
      return;
    case 'number':
      if (!Number.isFinite(value)) {
        fail(jobName, path, `${String(value)} is not representable in JSON; use null or a finite number.`);
      }
      return;
    case 'bigint':
      fail(jobName, path, 'a BigInt is not representable in JSON; pass it as a string (value.toString()).');
      return;
    case 'undefined':
      fail(jobName, path, 'undefined is dropped (or turned into null) by JSON; omit the property or use null.');
      return;
    case 'function':
      fail(jobName, path, 'a function cannot be stored; pass the data the job needs instead.');
      return;
    case 'symbol':
      fail(jobName, path, 'a symbol cannot be stored; use a string.');
      return;
  }
  if (value === null) return;
  const object = value as object;
  if (depth >= payloadMaxDepth) {
    fail(jobName, path, `the payload is nested deeper than ${payloadMaxDepth} levels; flatten it.`);
  }
  if (ancestors.has(object)) {
    fail(jobName, path, 'the value contains itself (a cycle); JSON cannot represent cycles.');
  }
  ancestors.add(object);
  if (Array.isArray(object)) assertJsonArray(jobName, object, path, ancestors, depth);
  else assertPlainObject(jobName, object, path, ancestors, depth);
  ancestors.delete(object);
}

function assertJsonArray(jobName: string, array: unknown[], path: string, ancestors: Set<object>, depth: number): void {
  if (Object.getPrototypeOf(array) !== Array.prototype) {
    fail(jobName, path, 'an Array subclass loses its class in JSON; use a plain array.');
  }
  for (let index = 0; index < array.length; index++) {
    if (!(index in array)) {
      fail(jobName, appendPayloadPath(path, index), 'a hole in a sparse array becomes null in JSON; fill it.');
    }
    assertJsonValue(jobName, array[index], appendPayloadPath(path, index), ancestors, depth + 1);
  }
  if (Object.keys(array).length !== array.length || Object.getOwnPropertySymbols(array).length > 0) {
    fail(jobName, path, 'named properties on an array are dropped by JSON; use an object.');
  }
}

function assertPlainObject(jobName: string, object: object, path: string, ancestors: Set<object>, depth: number): void {
  const prototype: unknown = Object.getPrototypeOf(object);
  if (prototype !== Object.prototype && prototype !== null) {
    fail(jobName, path, describeNonPlainObject(object));
  }
  if (typeof (object as { toJSON?: unknown }).toJSON === 'function') {
    fail(jobName, path, 'an object with toJSON() changes shape in JSON; pass the plain value it returns.');
  }
  if (Object.getOwnPropertySymbols(object).length > 0) {
    fail(jobName, path, 'symbol keys are dropped by JSON; use string keys.');
  }
  for (const key of Object.keys(object)) {
    const childPath = appendPayloadPath(path, key);
    assertPortableString(jobName, key, childPath);
    if (key === '__proto__') {
      fail(jobName, childPath, 'the key "__proto__" is not allowed (it can pollute prototypes when merged); rename it.');
    }
    assertJsonValue(jobName, (object as Record<string, unknown>)[key], childPath, ancestors, depth + 1);
  }
}

function assertPortableString(jobName: string, text: string, path: string): void {
  const problem = portableStringProblem(text);
  if (problem !== undefined) fail(jobName, path, problem);
}

/** Says what a non-plain object is and what to pass instead. */
function describeNonPlainObject(object: object): string {
  if (object instanceof Date) {
    return 'a Date is not kept by JSON (it becomes a string); pass an ISO string (date.toISOString()) and parse it in the handler.';
  }
  if (object instanceof Map) return 'a Map becomes {} in JSON; use a plain object or an array of [key, value] pairs.';
  if (object instanceof Set) return 'a Set becomes {} in JSON; use an array.';
  if (object instanceof RegExp) return 'a RegExp becomes {} in JSON; pass its source string.';
  if (ArrayBuffer.isView(object) || object instanceof ArrayBuffer) {
    return 'binary data is not kept by JSON; pass a base64 string, or store the bytes elsewhere and pass a reference.';
  }
  if (object instanceof Error) return 'an Error loses its fields in JSON; pass { name, message } as strings.';
  if (object instanceof Promise) return 'a Promise cannot be stored; await it and pass the result.';
  const className = (object.constructor as { name?: unknown } | undefined)?.name;
  const what = typeof className === 'string' && className !== '' ? `an instance of ${className}` : 'this object';
  return `${what} is not a plain object and loses its class in JSON; pass a plain object with its data.`;
}

function fail(jobName: string, path: string, message: string): never {
  throw new PayloadError(jobName, path, message);
}
