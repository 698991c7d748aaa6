import { describe, expect, it } from 'vitest';
import { newRunId } from './run-id.js';

const uuidV7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('newRunId', () => {
  it('is a version 7 UUID whose first 48 bits are the time in milliseconds', () => {
    const at = Date.UTC(2026, 10, 25, 12, 0, 0, 123);
    const id = newRunId(at);
    expect(id).toMatch(uuidV7);
    expect(Number.parseInt(id.slice(0, 8) + id.slice(9, 13), 16)).toBe(at);
  });

  it('sorts in creation order, as text, within a millisecond and across milliseconds', () => {
    const at = Date.UTC(2027, 0, 1);
    const ids = [
      ...Array.from({ length: 5_000 }, () => newRunId(at)), // more than the 12-bit counter holds
      ...Array.from({ length: 10 }, () => newRunId(at + 5)),
      ...Array.from({ length: 10 }, () => newRunId(at + 3)), // the clock went back
    ];
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(uuidV7);
  });

  it('differs in its random part between ids of the same millisecond', () => {
    const at = Date.UTC(2028, 0, 1);
    const tails = new Set(Array.from({ length: 100 }, () => newRunId(at).slice(19)));
    expect(tails.size).toBe(100);
  });
});
