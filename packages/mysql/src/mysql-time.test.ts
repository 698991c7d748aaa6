import { describe, expect, it } from 'vitest';
import { formatMySqlTime, parseMySqlTime } from './mysql-adapter.js';

describe('mysql time conversion', () => {
  it('formats a Date as UTC DATETIME text with milliseconds', () => {
    expect(formatMySqlTime(new Date('2026-03-08T07:30:05.123Z'))).toBe('2026-03-08 07:30:05.123');
  });

  it('parses DATETIME(6) text as UTC, truncating microseconds to milliseconds', () => {
    expect(parseMySqlTime('2026-03-08 07:30:05.123456').toISOString()).toBe('2026-03-08T07:30:05.123Z');
    expect(parseMySqlTime('2026-03-08 07:30:05').toISOString()).toBe('2026-03-08T07:30:05.000Z');
    expect(parseMySqlTime('2026-03-08 07:30:05.5').toISOString()).toBe('2026-03-08T07:30:05.500Z');
  });

  it('round-trips every millisecond value unchanged', () => {
    for (const iso of ['1970-01-01T00:00:00.000Z', '2026-12-31T23:59:59.999Z', '2038-01-19T03:14:08.001Z']) {
      expect(parseMySqlTime(formatMySqlTime(new Date(iso))).toISOString()).toBe(iso);
    }
  });

  it('refuses text that is not a DATETIME', () => {
    expect(() => parseMySqlTime('yesterday')).toThrow(/DATETIME/);
  });
});
