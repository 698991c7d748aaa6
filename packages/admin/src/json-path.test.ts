import { describe, expect, it } from 'vitest';
import { parseJsonPath } from './json-path.js';

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
