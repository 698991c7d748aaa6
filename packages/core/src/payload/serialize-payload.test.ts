import { describe, expect, it } from 'vitest';
import { PayloadError } from '../errors.js';
import { parsePayloadJson } from './parse-payload-json.js';
import { defaultPayloadMaxBytes, payloadMaxDepth, serializePayload } from './serialize-payload.js';

const options = { maxBytes: defaultPayloadMaxBytes };

function rejection(value: unknown, maxBytes = defaultPayloadMaxBytes): PayloadError {
  try {
    serializePayload('test.job', value, { maxBytes });
  } catch (error) {
    expect(error).toBeInstanceOf(PayloadError);
    return error as PayloadError;
  }
  throw new Error('expected a PayloadError');
}

/** `[1, <hole>, 3]` */
function sparseArray(): number[] {
  const array = [1];
  array[2] = 3;
  return array;
}

describe('serializePayload', () => {
  it('round-trips JSON values exactly', () => {
    const value = { a: 1, b: 'é ✓ 😀 \ud83d\ude00', c: [true, false, null, 1.5, -3], d: { e: {} }, 'odd key': [] };
    const json = serializePayload('test.job', value, options);
    expect(JSON.parse(json)).toEqual(value);
  });

  it('stores a missing payload as null and accepts null-prototype objects', () => {
    expect(serializePayload('test.job', undefined, options)).toBe('null');
    const bare = Object.assign(Object.create(null) as object, { x: 1 });
    expect(serializePayload('test.job', bare, options)).toBe('{"x":1}');
  });

  it('accepts a value shared twice (not a cycle)', () => {
    const shared = { id: 1 };
    expect(serializePayload('test.job', { a: shared, b: [shared] }, options)).toBe('{"a":{"id":1},"b":[{"id":1}]}');
  });

  it.each([
    ['BigInt', { n: 10n }, '$.n', /BigInt.*string/],
    ['function', { f: () => 1 }, '$.f', /function/],
    ['symbol', { s: Symbol('x') }, '$.s', /symbol/],
    ['undefined property', { a: { b: undefined } }, '$.a.b', /undefined/],
    ['undefined in array', { items: [1, undefined] }, '$.items[1]', /undefined/],
    ['NaN', { x: NaN }, '$.x', /NaN/],
    ['Infinity', [Infinity], '$[0]', /Infinity/],
    ['-Infinity', { y: -Infinity }, '$.y', /Infinity/],
    ['Date', { items: [{}, {}, { at: new Date() }] }, '$.items[2].at', /ISO string/],
    ['Map', { m: new Map() }, '$.m', /plain object or an array of \[key, value\]/],
    ['Set', { s: new Set([1]) }, '$.s', /use an array/],
    ['class instance', { u: new (class User {})() }, '$.u', /instance of User/],
    ['toJSON', { t: { toJSON: () => 'x' } }, '$.t', /toJSON/],
    ['Buffer', { b: Buffer.from('hi') }, '$.b', /base64/],
    ['RegExp', { r: /x/ }, '$.r', /source/],
    ['odd key', { 'a b': [1n] }, '$["a b"][0]', /BigInt/],
    ['NUL character', { note: 'a\u0000b' }, '$.note', /NUL/],
    ['lone high surrogate', { s: ['ok', 'x\ud800'] }, '$.s[1]', /surrogate/],
    ['lone low surrogate', { s: '\udc00x' }, '$.s', /surrogate/],
    ['NUL in a key', { 'a\u0000': 1 }, '$["a\\u0000"]', /NUL/],
    ['sparse array', { s: sparseArray() }, '$.s[1]', /sparse/],
  ])('rejects %s with its path', (_label, value, path, message) => {
    const error = rejection(value);
    expect(error.path).toBe(path);
    expect(error.jobName).toBe('test.job');
    expect(error.message).toMatch(message);
    expect(error.code).toBe('invalid_payload');
  });

  it('rejects cycles at the repeated object', () => {
    const node: Record<string, unknown> = { name: 'root', children: [] };
    (node.children as unknown[]).push({ parent: node });
    const error = rejection(node);
    expect(error.path).toBe('$.children[0].parent');
    expect(error.message).toMatch(/cycle/);
  });

  it('rejects a __proto__ key', () => {
    const value = JSON.parse('{"a":{"__proto__":{"polluted":true}}}') as unknown;
    const error = rejection(value);
    expect(error.path).toBe('$.a.__proto__');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('rejects symbol keys and named array properties', () => {
    expect(rejection({ [Symbol('k')]: 1 }).message).toMatch(/symbol keys/);
    const array = Object.assign([1], { extra: true });
    expect(rejection({ list: array }).path).toBe('$.list');
  });

  it('rejects nesting deeper than the limit', () => {
    let value: unknown = 1;
    for (let index = 0; index <= payloadMaxDepth; index++) value = [value];
    expect(rejection(value).message).toMatch(/deeper than 100/);
  });

  it('enforces the size limit in UTF-8 bytes of the JSON', () => {
    // "é" is 2 bytes in UTF-8: 6 characters of JSON text but 8 bytes.
    expect(serializePayload('test.job', 'éé', { maxBytes: 6 })).toBe('"éé"');
    const error = rejection('ééé', 7);
    expect(error.path).toBe('$');
    expect(error.message).toMatch(/8 bytes.*limit of 7.*payloadMaxBytes/);
  });
});

describe('parsePayloadJson', () => {
  it('parses ordinary JSON', () => {
    expect(parsePayloadJson('{"a":[1,"x"]}')).toEqual({ a: [1, 'x'] });
  });

  it('drops __proto__ keys, also when spelled with escapes', () => {
    const parsed = parsePayloadJson('{"a":1,"__proto__":{"polluted":true},"b":{"\\u005f_proto__":{"x":1}}}') as Record<
      string,
      unknown
    >;
    expect(Object.keys(parsed)).toEqual(['a', 'b']);
    expect(Object.keys(parsed.b as object)).toEqual([]);
    const merged = Object.assign({}, parsed);
    expect((merged as Record<string, unknown>).polluted).toBeUndefined();
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
