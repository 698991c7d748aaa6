import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { parseUtcTimestamptz } from './postgres-timestamps.js';

const standard = pg.types.getTypeParser(1184, 'text') as (text: string) => unknown;

/** How a UTC session prints `value` as `timestamptz(precision)` (trailing fraction zeros dropped). */
function printed(value: Date, precision = 3): string {
  const iso = value.toISOString(); // 2026-11-25T23:43:13.123Z
  const micros = iso.slice(20, 23) + '000'.slice(0, Math.max(0, precision - 3));
  const fraction = micros.slice(0, precision).replace(/0+$/, '');
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)}${fraction ? `.${fraction}` : ''}+00`;
}

describe('parseUtcTimestamptz', () => {
  it('agrees with pg’s own parser on times as a UTC session prints them', () => {
    const samples = [
      Date.UTC(2026, 10, 25, 23, 43, 13, 123),
      Date.UTC(2026, 10, 25, 23, 43, 13, 120), // one trailing zero dropped
      Date.UTC(2026, 10, 25, 23, 43, 13, 100),
      Date.UTC(2026, 10, 25, 23, 43, 13, 0), // no fraction at all
      Date.UTC(1000, 0, 1),
      Date.UTC(1970, 0, 1),
      Date.UTC(2024, 1, 29, 12), // leap day
      Date.UTC(9999, 11, 31, 23, 59, 59, 999),
    ];
    let seed = 7;
    for (let i = 0; i < 500; i += 1) {
      seed = (seed * 48_271) % 2_147_483_647;
      samples.push(Date.UTC(1990, 0, 1) + (seed % 2_000_000_000) * 1_000 + (seed % 1000));
    }
    for (const ms of samples) {
      for (const precision of [3, 6]) {
        const text = printed(new Date(ms), precision);
        expect((parseUtcTimestamptz(text) as Date).getTime(), text).toBe((standard(text) as Date).getTime());
        expect((parseUtcTimestamptz(text) as Date).getTime(), text).toBe(ms);
      }
    }
  });

  it('truncates a microsecond fraction to milliseconds, as pg’s parser does', () => {
    const text = '2026-11-25 23:43:13.123456+00';
    expect((parseUtcTimestamptz(text) as Date).getTime()).toBe((standard(text) as Date).getTime());
    expect((parseUtcTimestamptz(text) as Date).getTime()).toBe(Date.UTC(2026, 10, 25, 23, 43, 13, 123));
  });

  it('leaves every other form to pg’s parser', () => {
    for (const text of [
      '2026-11-25 23:43:13.123+05:30',
      '2026-11-25 23:43:13-08',
      '0999-01-01 00:00:00+00',
      '0044-03-15 12:00:00+00 BC',
      'infinity',
      '-infinity',
    ]) {
      expect(parseUtcTimestamptz(text), text).toEqual(standard(text));
    }
  });
});
