import { describe, expect, it } from 'vitest';
import { parseJsonPath, valueAtPath } from './json-path.js';

describe('parseJsonPath', () => {
  it('reads member, index and quoted steps, with or without $', () => {
    expect(parseJsonPath('$.user.id')).toEqual(['user', 'id']);
    expect(parseJsonPath('user.id')).toEqual(['user', 'id']);
    expect(parseJsonPath('items[2].sku')).toEqual(['items', 2, 'sku']);
    expect(parseJsonPath('$["odd key"]["a\\"b"]')).toEqual(['odd key', 'a"b']);
    expect(parseJsonPath('$[0]')).toEqual([0]);
  });

  it('rejects empty, too long, wildcard, recursive and malformed paths with 400', () => {
    for (const path of ['', '$', '$..a', 'a.*', 'a[x]', 'a[-1]', 'a.', '$["open', '$["\\x"]', 'x'.repeat(201)]) {
      expect(() => parseJsonPath(path), path).toThrow(expect.objectContaining({ status: 400 }));
    }
  });
});

describe('valueAtPath', () => {
  const payload = { user: { id: 'u1' }, items: [{ sku: 'a' }], 'odd key': 1 };
  it('finds nested values and says undefined for missing or mistyped steps', () => {
    expect(valueAtPath(payload, ['user', 'id'])).toBe('u1');
    expect(valueAtPath(payload, ['items', 0, 'sku'])).toBe('a');
    expect(valueAtPath(payload, ['odd key'])).toBe(1);
    expect(valueAtPath(payload, ['items', 'length'])).toBeUndefined();
    expect(valueAtPath(payload, ['user', 0])).toBeUndefined();
    expect(valueAtPath(payload, ['toString'])).toBeUndefined();
    expect(valueAtPath(null, ['a'])).toBeUndefined();
  });
});
