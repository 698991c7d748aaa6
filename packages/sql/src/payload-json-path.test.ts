import { describe, expect, it } from 'vitest';
import { payloadJsonPath } from './payload-json-path.js';

describe('payloadJsonPath', () => {
  it('quotes every key and writes indexes in brackets', () => {
    expect(payloadJsonPath(['user', 'id'])).toBe('$."user"."id"');
    expect(payloadJsonPath(['items', 0, 'sku'])).toBe('$."items"[0]."sku"');
    expect(payloadJsonPath([3])).toBe('$[3]');
  });

  it('keeps path syntax inside keys as plain text: dots, stars, brackets, quotes, backslashes', () => {
    expect(payloadJsonPath(['a.b', '*', '[0]'])).toBe('$."a.b"."*"."[0]"');
    expect(payloadJsonPath(['say "hi"', 'back\\slash'])).toBe('$."say \\"hi\\""."back\\\\slash"');
    expect(payloadJsonPath(["') or 1=1 --"])).toBe(`$."') or 1=1 --"`);
    expect(payloadJsonPath(['line\nbreak', 'é'])).toBe('$."line\\nbreak"."é"');
  });
});
