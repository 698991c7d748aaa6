import { Temporal } from '@js-temporal/polyfill';
import { describe, expect, it } from 'vitest';
import { type CronSchedule, parseSchedule } from './parse-schedule.js';

const newYork = 'America/New_York';
const berlin = 'Europe/Berlin';

/** Every slot within the local calendar day `date` in the schedule's zone, as ISO strings. */
function slotsOnLocalDay(schedule: CronSchedule, date: string): string[] {
  // toZonedDateTime gives the day's first instant, also when midnight itself does not exist.
  const startOf = (day: Temporal.PlainDate) =>
    new Date(day.toZonedDateTime({ timeZone: schedule.timeZone }).epochMilliseconds);
  const day = Temporal.PlainDate.from(date);
  const [start, end] = [startOf(day), startOf(day.add({ days: 1 }))];
  const slots: string[] = [];
  for (
    let slot = schedule.nextAfter(new Date(start.getTime() - 1));
    slot && slot < end;
    slot = schedule.nextAfter(slot)
  ) {
    slots.push(slot.toISOString());
  }
  return slots;
}

function schedule(cron: string, timeZone: string): CronSchedule {
  return parseSchedule({ cron, timeZone });
}

describe('DST: fixed-time expressions', () => {
  it('New York spring forward: 02:30 does not exist and runs once at 03:00 EDT', () => {
    expect(slotsOnLocalDay(schedule('30 2 * * *', newYork), '2026-03-08')).toEqual([
      '2026-03-08T07:00:00.000Z',
    ]);
    expect(slotsOnLocalDay(schedule('30 2 * * *', newYork), '2026-03-09')).toEqual([
      '2026-03-09T06:30:00.000Z',
    ]);
  });

  it('New York fall back: 01:30 happens twice and runs once, at its first occurrence (EDT)', () => {
    expect(slotsOnLocalDay(schedule('30 1 * * *', newYork), '2026-11-01')).toEqual([
      '2026-11-01T05:30:00.000Z',
    ]);
  });

  it('New York fall back: a search starting between the two passes goes to the next day', () => {
    const s = schedule('30 1 * * *', newYork);
    expect(s.nextAfter(new Date('2026-11-01T05:45:00Z'))?.toISOString()).toBe('2026-11-02T06:30:00.000Z');
  });

  it('Berlin spring forward: 02:30 runs once at 03:00 CEST', () => {
    expect(slotsOnLocalDay(schedule('30 2 * * *', berlin), '2026-03-29')).toEqual([
      '2026-03-29T01:00:00.000Z',
    ]);
  });

  it('Berlin fall back: 02:30 runs once, at its first occurrence (CEST)', () => {
    expect(slotsOnLocalDay(schedule('30 2 * * *', berlin), '2026-10-25')).toEqual([
      '2026-10-25T00:30:00.000Z',
    ]);
  });

  it('a list of hours follows the fixed-time rule (croner by default would skip 02:30)', () => {
    const list = schedule('30 2,14 * * *', newYork);
    expect(slotsOnLocalDay(list, '2026-03-08')).toEqual([
      '2026-03-08T07:00:00.000Z',
      '2026-03-08T18:30:00.000Z',
    ]);
    const fallList = schedule('30 1,13 * * *', newYork);
    expect(slotsOnLocalDay(fallList, '2026-11-01')).toEqual([
      '2026-11-01T05:30:00.000Z',
      '2026-11-01T18:30:00.000Z',
    ]);
    expect(slotsOnLocalDay(schedule('30 2,14 * * *', berlin), '2026-03-29')).toEqual([
      '2026-03-29T01:00:00.000Z',
      '2026-03-29T12:30:00.000Z',
    ]);
  });

  it('a range of hours follows the fixed-time rule', () => {
    expect(slotsOnLocalDay(schedule('30 1-3 * * *', newYork), '2026-03-08')).toEqual([
      '2026-03-08T06:30:00.000Z', // 01:30 EST
      '2026-03-08T07:00:00.000Z', // 02:30 does not exist: 03:00 EDT
      '2026-03-08T07:30:00.000Z', // 03:30 EDT
    ]);
    expect(slotsOnLocalDay(schedule('30 1-2 * * *', newYork), '2026-11-01')).toEqual([
      '2026-11-01T05:30:00.000Z', // 01:30 EDT, not again at 01:30 EST
      '2026-11-01T07:30:00.000Z', // 02:30 EST
    ]);
  });

  it('a stepped range without * is fixed-time too (DESIGN §3; croner alone would treat it as interval)', () => {
    expect(slotsOnLocalDay(schedule('30 0-4/2 * * *', newYork), '2026-03-08')).toEqual([
      '2026-03-08T05:30:00.000Z',
      '2026-03-08T07:00:00.000Z',
      '2026-03-08T08:30:00.000Z',
    ]);
  });

  it('several fixed times in the gap, or one just after it, give a single slot at the end of the gap', () => {
    expect(slotsOnLocalDay(schedule('0,30 2 * * *', newYork), '2026-03-08')).toEqual([
      '2026-03-08T07:00:00.000Z',
    ]);
    expect(slotsOnLocalDay(schedule('0 2,3 * * *', newYork), '2026-03-08')).toEqual([
      '2026-03-08T07:00:00.000Z',
    ]);
  });

  it('a 6-field fixed time with seconds in the gap runs at the first valid instant', () => {
    expect(slotsOnLocalDay(schedule('15 30 2 * * *', newYork), '2026-03-08')).toEqual([
      '2026-03-08T07:00:00.000Z',
    ]);
  });

  it('a midnight that does not exist (Santiago, 2026-09-06) runs at 01:00', () => {
    const midnight = schedule('0 0 * * *', 'America/Santiago');
    expect(slotsOnLocalDay(midnight, '2026-09-06')).toEqual(['2026-09-06T04:00:00.000Z']);
  });
});

describe('DST: interval expressions', () => {
  it('0 * * * * fires 23 times on spring-forward days and 25 times on fall-back days', () => {
    const hourlyNewYork = schedule('0 * * * *', newYork);
    const hourlyBerlin = schedule('0 * * * *', berlin);
    expect(slotsOnLocalDay(hourlyNewYork, '2026-03-08')).toHaveLength(23);
    expect(slotsOnLocalDay(hourlyNewYork, '2026-11-01')).toHaveLength(25);
    expect(slotsOnLocalDay(hourlyNewYork, '2026-11-02')).toHaveLength(24);
    expect(slotsOnLocalDay(hourlyBerlin, '2026-03-29')).toHaveLength(23);
    expect(slotsOnLocalDay(hourlyBerlin, '2026-10-25')).toHaveLength(25);
  });

  it('every slot of an interval expression is one real hour apart across the fall-back hour', () => {
    const slots = slotsOnLocalDay(schedule('0 * * * *', newYork), '2026-11-01').map((iso) => Date.parse(iso));
    const gaps = new Set(slots.slice(1).map((slot, index) => slot - (slots[index] ?? 0)));
    expect([...gaps]).toEqual([3_600_000]);
  });

  it('skips local times that do not exist and fires on both passes of a repeated time', () => {
    expect(slotsOnLocalDay(schedule('*/30 2 * * *', newYork), '2026-03-08')).toEqual([]);
    expect(slotsOnLocalDay(schedule('*/30 1 * * *', newYork), '2026-11-01')).toEqual([
      '2026-11-01T05:00:00.000Z',
      '2026-11-01T05:30:00.000Z',
      '2026-11-01T06:00:00.000Z',
      '2026-11-01T06:30:00.000Z',
    ]);
  });

  it('a search starting between the two passes finds the second pass', () => {
    const s = schedule('*/30 1 * * *', newYork);
    expect(s.nextAfter(new Date('2026-11-01T05:45:00Z'))?.toISOString()).toBe('2026-11-01T06:00:00.000Z');
  });

  it('a wildcard in the seconds field alone makes an expression interval', () => {
    expect(slotsOnLocalDay(schedule('*/30 30 2 * * *', newYork), '2026-03-08')).toEqual([]);
  });
});

describe('DST: latestAtOrBefore agrees with the forward search', () => {
  const cases: Array<[string, string, string]> = [
    ['30 2 * * *', newYork, '2026-03-06'],
    ['30 1 * * *', newYork, '2026-10-30'],
    ['0 * * * *', newYork, '2026-03-07'],
    ['0 * * * *', newYork, '2026-10-31'],
    ['*/30 1 * * *', newYork, '2026-10-30'],
    ['30 2,14 * * *', berlin, '2026-03-27'],
    ['30 2 * * *', berlin, '2026-10-23'],
    ['*/20 * * * *', berlin, '2026-10-24'],
  ];
  it.each(cases)('%s in %s from %s', (cron, timeZone, from) => {
    const s = schedule(cron, timeZone);
    const slots = s.nextOccurrences(new Date(`${from}T00:00:00Z`), 120);
    for (let index = 1; index < slots.length; index += 1) {
      const previous = slots[index - 1] as Date;
      const slot = slots[index] as Date;
      expect(s.latestAtOrBefore(slot, previous)).toEqual(slot);
      expect(s.latestAtOrBefore(new Date(slot.getTime() - 1), new Date(previous.getTime() - 1))).toEqual(
        previous,
      );
      expect(s.latestAtOrBefore(new Date(slot.getTime() - 1), previous)).toBeNull();
    }
  });
});
