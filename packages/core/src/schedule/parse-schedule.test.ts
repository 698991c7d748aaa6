import { afterEach, describe, expect, it } from 'vitest';
import { InvalidArgumentError, ScheduleError } from '../errors.js';
import { parseSchedule, type ScheduleInput } from './parse-schedule.js';

const iso = (dates: Date[]) => dates.map((date) => date.toISOString());

function rejection(input: ScheduleInput, field: 'cron' | 'timeZone'): string {
  try {
    parseSchedule(input);
  } catch (error) {
    expect(error).toBeInstanceOf(ScheduleError);
    expect((error as ScheduleError).field).toBe(field);
    return (error as ScheduleError).message;
  }
  throw new Error(`expected ${JSON.stringify(input)} to be rejected`);
}

describe('parseSchedule: accepted expressions', () => {
  const originalZone = process.env.TZ;
  afterEach(() => {
    if (originalZone === undefined) delete process.env.TZ;
    else process.env.TZ = originalZone;
  });

  it('keeps the expression trimmed and defaults the zone to UTC, not the process zone', () => {
    process.env.TZ = 'America/New_York';
    const s = parseSchedule({ cron: '  0 3 * * *  ' });
    expect(s.cron).toBe('0 3 * * *');
    expect(s.timeZone).toBe('UTC');
    expect(s.nextAfter(new Date('2026-01-01T00:00:00Z'))?.toISOString()).toBe('2026-01-01T03:00:00.000Z');
  });

  it('returns the zone in canonical spelling', () => {
    expect(parseSchedule({ cron: '0 3 * * *', timeZone: 'europe/berlin' }).timeZone).toBe('Europe/Berlin');
  });

  it('nextAfter is strictly after, also with milliseconds', () => {
    const s = parseSchedule({ cron: '0 * * * *' });
    expect(s.nextAfter(new Date('2026-01-01T05:00:00.000Z'))?.toISOString()).toBe('2026-01-01T06:00:00.000Z');
    expect(s.nextAfter(new Date('2026-01-01T04:59:59.999Z'))?.toISOString()).toBe('2026-01-01T05:00:00.000Z');
    const everySecond = parseSchedule({ cron: '* * * * * *' });
    expect(everySecond.nextAfter(new Date('2026-01-01T05:00:00.500Z'))?.toISOString()).toBe(
      '2026-01-01T05:00:01.000Z',
    );
  });

  it('Feb 29 runs only in leap years', () => {
    const s = parseSchedule({ cron: '0 0 29 2 *' });
    expect(iso(s.nextOccurrences(new Date('2026-01-01T00:00:00Z'), 2))).toEqual([
      '2028-02-29T00:00:00.000Z',
      '2032-02-29T00:00:00.000Z',
    ]);
  });

  it('L in day-of-month is the last day of each month, across February', () => {
    const s = parseSchedule({ cron: '0 0 L * *' });
    expect(iso(s.nextOccurrences(new Date('2026-01-15T00:00:00Z'), 3))).toEqual([
      '2026-01-31T00:00:00.000Z',
      '2026-02-28T00:00:00.000Z',
      '2026-03-31T00:00:00.000Z',
    ]);
    expect(s.nextAfter(new Date('2028-02-01T00:00:00Z'))?.toISOString()).toBe('2028-02-29T00:00:00.000Z');
  });

  it('6-field expressions have seconds first', () => {
    const s = parseSchedule({ cron: '*/20 * * * * *' });
    expect(iso(s.nextOccurrences(new Date('2026-01-01T00:00:05Z'), 4))).toEqual([
      '2026-01-01T00:00:20.000Z',
      '2026-01-01T00:00:40.000Z',
      '2026-01-01T00:01:00.000Z',
      '2026-01-01T00:01:20.000Z',
    ]);
  });

  it('day-of-month and day-of-week combine with OR when both are restricted', () => {
    // January 2026: the 13th is a Tuesday; Fridays are the 2nd, 9th, 16th, 23rd, 30th.
    const s = parseSchedule({ cron: '0 0 13 * 5' });
    expect(iso(s.nextOccurrences(new Date('2026-01-01T00:00:00Z'), 6))).toEqual([
      '2026-01-02T00:00:00.000Z',
      '2026-01-09T00:00:00.000Z',
      '2026-01-13T00:00:00.000Z',
      '2026-01-16T00:00:00.000Z',
      '2026-01-23T00:00:00.000Z',
      '2026-01-30T00:00:00.000Z',
    ]);
  });

  it('accepts names, nicknames and ? as in common cron dialects', () => {
    const weekdays = parseSchedule({ cron: '0 9 ? * MON-FRI', timeZone: 'Europe/Berlin' });
    expect(weekdays.nextAfter(new Date('2026-01-02T12:00:00Z'))?.toISOString()).toBe(
      '2026-01-05T08:00:00.000Z',
    );
    const daily = parseSchedule({ cron: '@daily', timeZone: 'America/New_York' });
    expect(daily.nextAfter(new Date('2026-01-01T12:00:00Z'))?.toISOString()).toBe('2026-01-02T05:00:00.000Z');
  });

  it('nextOccurrences returns ascending slots, and nothing for count 0', () => {
    const s = parseSchedule({ cron: '*/15 * * * *' });
    expect(iso(s.nextOccurrences(new Date('2026-01-01T00:07:00Z'), 3))).toEqual([
      '2026-01-01T00:15:00.000Z',
      '2026-01-01T00:30:00.000Z',
      '2026-01-01T00:45:00.000Z',
    ]);
    expect(s.nextOccurrences(new Date('2026-01-01T00:07:00Z'), 0)).toEqual([]);
  });

  it('rejects bad arguments to its methods with InvalidArgumentError', () => {
    const s = parseSchedule({ cron: '* * * * *' });
    expect(() => s.nextOccurrences(new Date(), -1)).toThrow(InvalidArgumentError);
    expect(() => s.nextOccurrences(new Date(), 1.5)).toThrow(InvalidArgumentError);
    expect(() => s.nextOccurrences(new Date(), 10_001)).toThrow(InvalidArgumentError);
    expect(() => s.nextAfter(new Date('nope'))).toThrow(InvalidArgumentError);
    expect(() => s.latestAtOrBefore(new Date(), new Date(Number.NaN))).toThrow(InvalidArgumentError);
  });
});

describe('parseSchedule: latestAtOrBefore', () => {
  it('returns the latest slot in (after, at]', () => {
    const s = parseSchedule({ cron: '0 * * * *' });
    const at = new Date('2026-01-01T10:30:00Z');
    expect(s.latestAtOrBefore(at, new Date('2026-01-01T00:00:00Z'))?.toISOString()).toBe(
      '2026-01-01T10:00:00.000Z',
    );
    expect(
      s.latestAtOrBefore(new Date('2026-01-01T10:00:00Z'), new Date('2026-01-01T09:00:00Z'))?.toISOString(),
    ).toBe('2026-01-01T10:00:00.000Z');
    expect(s.latestAtOrBefore(at, new Date('2026-01-01T10:00:00Z'))).toBeNull();
    expect(s.latestAtOrBefore(at, at)).toBeNull();
    expect(s.latestAtOrBefore(at, new Date('2026-01-02T00:00:00Z'))).toBeNull();
  });

  it('answers at once for * * * * * * after three days of downtime', () => {
    const s = parseSchedule({ cron: '* * * * * *' });
    const after = new Date('2026-01-01T00:00:00Z');
    const at = new Date('2026-01-04T00:00:00.750Z'); // 259 200 slots later
    const started = performance.now();
    const latest = s.latestAtOrBefore(at, after);
    const elapsedMs = performance.now() - started;
    expect(latest?.toISOString()).toBe('2026-01-04T00:00:00.000Z');
    // Walking forward slot by slot takes seconds; the backward search takes well under a millisecond.
    expect(elapsedMs).toBeLessThan(250);
  });

  it('finds a rare slot far back without walking every day', () => {
    const s = parseSchedule({ cron: '0 0 29 2 *' });
    const latest = s.latestAtOrBefore(new Date('2031-06-01T00:00:00Z'), new Date('2020-01-01T00:00:00Z'));
    expect(latest?.toISOString()).toBe('2028-02-29T00:00:00.000Z');
  });
});

describe('parseSchedule: rejections', () => {
  it('rejects a 7-field expression and says to remove the year', () => {
    const message = rejection({ cron: '0 0 12 * * * 2027' }, 'cron');
    expect(message).toContain('"0 0 12 * * * 2027"');
    expect(message).toMatch(/7 fields.*year.*remove it/);
  });

  it.each(['0 0 30 2 *', '0 0 31 4 *', '0 0 31 2,4,6,9,11 *'])('rejects %s, which can never fire', (cron) => {
    expect(rejection({ cron }, 'cron')).toMatch(/can never fire/);
  });

  it.each([
    ['0 61 * * *', 'hour'],
    ['60 * * * *', 'minute'],
    ['* * 32 * *', 'day-of-month'],
    ['0 0 1 13 *', 'month'],
    ['0 0 * * 8', 'day-of-week'],
    ['61 * * * * *', 'second'],
    ['0 5/10 * * *', 'hour'],
    ['0 0 * * FUNDAY', 'day-of-week'],
  ])('rejects %s naming the %s field', (cron, field) => {
    const message = rejection({ cron }, 'cron');
    expect(message).toContain(`the ${field} field`);
    expect(message).toContain('5 fields "minute hour day-of-month month day-of-week"');
  });

  it.each(['garbage', '* * *', 'every', '@reboot', '@sometimes'])('rejects garbage %j', (cron) => {
    expect(rejection({ cron }, 'cron')).toContain(`"${cron}"`);
  });

  it.each(['', '   '])('rejects an empty expression %j', (cron) => {
    expect(rejection({ cron }, 'cron')).toMatch(/empty/);
  });

  it('rejects Windows, legacy and unknown zones with a suggestion', () => {
    expect(rejection({ cron: '0 3 * * *', timeZone: 'Eastern Standard Time' }, 'timeZone')).toContain(
      'America/New_York',
    );
    expect(rejection({ cron: '0 3 * * *', timeZone: 'EST' }, 'timeZone')).toContain('America/New_York');
    expect(rejection({ cron: '0 3 * * *', timeZone: 'Europe/Atlantis' }, 'timeZone')).toMatch(
      /Unknown time zone/,
    );
    expect(rejection({ cron: '0 3 * * *', timeZone: '' }, 'timeZone')).toMatch(/empty/);
  });
});

describe('parseSchedule: natural intervals', () => {
  const from = new Date('2026-01-01T00:00:00Z');

  it.each([
    ['every second', '* * * * * *'],
    ['every 15 seconds', '*/15 * * * * *'],
    ['every 30 secs', '*/30 * * * * *'],
    ['every minute', '* * * * *'],
    ['every 5 minutes', '*/5 * * * *'],
    ['Every 5 Min', '*/5 * * * *'],
    ['every 1 hour', '0 * * * *'],
    ['every hour', '0 * * * *'],
    ['every 6 hours', '0 */6 * * *'],
    ['every 120 minutes', '0 */2 * * *'],
    ['every 60 seconds', '* * * * *'],
    ['every day', '0 0 * * *'],
    ['every 24 hours', '0 0 * * *'],
  ])('"%s" runs like %s', (natural, cron) => {
    const expected = parseSchedule({ cron, timeZone: 'Europe/Berlin' }).nextOccurrences(from, 5);
    const s = parseSchedule({ cron: natural, timeZone: 'Europe/Berlin' });
    expect(s.cron).toBe(natural);
    expect(s.nextOccurrences(from, 5)).toEqual(expected);
  });

  it.each([
    ['every 7 minutes', /"every 6 minutes" or "every 10 minutes".*"\*\/7 \* \* \* \*"/],
    ['every 45 seconds', /"every 30 seconds" or "every 60 seconds"/],
    ['every 5 hours', /"every 4 hours" or "every 6 hours"/],
    ['every 2 days', /"0 0 \*\/2 \* \*"/],
  ])('rejects "%s", which does not divide its unit, with a suggestion', (natural, suggestion) => {
    expect(rejection({ cron: natural }, 'cron')).toMatch(suggestion);
  });

  it.each(['every 0 minutes', 'every fortnight', 'every 5 weeks', 'every five minutes'])(
    'rejects "%s"',
    (natural) => {
      expect(rejection({ cron: natural }, 'cron')).toContain(`"${natural}"`);
    },
  );
});

describe('CronSchedule.describe', () => {
  it.each([
    ['0 3 * * *', 'Europe/Berlin', 'at 03:00 every day (Europe/Berlin)'],
    ['*/5 * * * *', 'UTC', 'every 5 minutes (UTC)'],
    ['* * * * *', 'UTC', 'every minute (UTC)'],
    ['*/20 * * * * *', 'UTC', 'every 20 seconds (UTC)'],
    ['0 * * * *', 'UTC', 'every hour (UTC)'],
    ['15 * * * *', 'UTC', 'every hour at minute 15 (UTC)'],
    ['0 */6 * * *', 'UTC', 'every 6 hours (UTC)'],
    ['30 9 * * 1-5', 'UTC', 'at 09:30 every Monday to Friday (UTC)'],
    ['30 9 * * sat,sun', 'UTC', 'at 09:30 every Saturday and Sunday (UTC)'],
    ['0 0 L * *', 'UTC', 'at 00:00 on the last day of every month (UTC)'],
    ['0 0 29 2 *', 'UTC', 'at 00:00 on day 29 of February (UTC)'],
    ['5 30 2 * * *', 'UTC', 'at 02:30:05 every day (UTC)'],
    ['@hourly', 'UTC', 'every hour (UTC)'],
    ['every 10 minutes', 'America/New_York', 'every 10 minutes (America/New_York)'],
    ['0 0 13 * 5', 'Europe/Berlin', 'cron `0 0 13 * 5` in Europe/Berlin'],
    ['0 8-18/2 * * *', 'UTC', 'cron `0 8-18/2 * * *` in UTC'],
  ])('%s in %s → %s', (cron, timeZone, description) => {
    expect(parseSchedule({ cron, timeZone }).describe()).toBe(description);
  });
});
