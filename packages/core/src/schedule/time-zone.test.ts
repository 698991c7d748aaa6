import { describe, expect, it } from 'vitest';
import { DurablyError, ScheduleError } from '../errors.js';
import { assertTimeZone } from './time-zone.js';

function rejection(zone: string): ScheduleError {
  try {
    assertTimeZone(zone);
  } catch (error) {
    expect(error).toBeInstanceOf(ScheduleError);
    expect((error as ScheduleError).field).toBe('timeZone');
    expect(DurablyError.isInstance(error)).toBe(true);
    expect((error as ScheduleError).code).toBe('invalid_schedule');
    return error as ScheduleError;
  }
  throw new Error(`expected "${zone}" to be rejected`);
}

describe('assertTimeZone', () => {
  it.each([
    ['UTC', 'UTC'],
    ['Etc/UTC', 'Etc/UTC'],
    ['America/New_York', 'America/New_York'],
    ['Europe/Berlin', 'Europe/Berlin'],
    ['America/Argentina/Buenos_Aires', 'America/Argentina/Buenos_Aires'],
    ['Asia/Kolkata', 'Asia/Kolkata'],
    ['Asia/Calcutta', 'Asia/Calcutta'],
    ['US/Eastern', 'US/Eastern'],
  ])('accepts %s', (zone, expected) => {
    expect(assertTimeZone(zone)).toBe(expected);
  });

  it('returns the canonical spelling of a differently cased or padded id', () => {
    expect(assertTimeZone('america/new_york')).toBe('America/New_York');
    expect(assertTimeZone('  europe/berlin ')).toBe('Europe/Berlin');
    expect(assertTimeZone('etc/utc')).toBe('Etc/UTC');
    expect(assertTimeZone('utc')).toBe('UTC');
  });

  it('accepts Etc/GMT±N fixed offsets, which are deliberate IANA ids', () => {
    expect(assertTimeZone('Etc/GMT+5')).toBe('Etc/GMT+5');
    expect(assertTimeZone('Etc/GMT-14')).toBe('Etc/GMT-14');
  });

  it.each(['', '   '])('rejects an empty id (%j)', (zone) => {
    expect(rejection(zone).message).toMatch(/empty.*IANA/);
  });

  it.each(['Foo/Bar', 'Europe/Atlantis', 'Mars', 'Etc/GMT+99', 'America/New York'])(
    'rejects unknown id %s',
    (zone) => {
      expect(rejection(zone).message).toMatch(/Unknown time zone/);
    },
  );

  it('suggests the zone when only the city was given', () => {
    expect(rejection('Berlin').message).toContain('"Europe/Berlin"');
    expect(rejection('new york').message).toContain('"America/New_York"');
  });

  it.each([
    ['Eastern Standard Time', 'America/New_York'],
    ['Central Standard Time', 'America/Chicago'],
    ['Pacific Standard Time', 'America/Los_Angeles'],
    ['W. Europe Standard Time', 'Europe/Berlin'],
    ['GMT Standard Time', 'Europe/London'],
    ['Tokyo Standard Time', 'Asia/Tokyo'],
    ['AUS Eastern Standard Time', 'Australia/Sydney'],
    ['india standard time', 'Asia/Kolkata'],
  ])('rejects Windows id %s and suggests %s', (zone, suggestion) => {
    const error = rejection(zone);
    expect(error.message).toContain('Windows');
    expect(error.message).toContain(`"${suggestion}"`);
  });

  it('rejects an unlisted Windows-style id with a generic hint', () => {
    expect(rejection('Kamchatka Standard Time').message).toMatch(/Windows.*IANA/);
  });

  it.each([
    ['EST', 'America/New_York'],
    ['EST5EDT', 'America/New_York'],
    ['PST8PDT', 'America/Los_Angeles'],
    ['CST6CDT', 'America/Chicago'],
    ['MST', 'America/Denver'],
    ['HST', 'Pacific/Honolulu'],
    ['CET', 'Europe/Berlin'],
    ['EET', 'Europe/Athens'],
    ['GMT', 'Europe/London'],
    ['Zulu', 'UTC'],
    ['Japan', 'Asia/Tokyo'],
  ])('rejects legacy id %s and suggests %s', (zone, suggestion) => {
    const error = rejection(zone);
    expect(error.message).toContain('legacy');
    expect(error.message).toContain(`"${suggestion}"`);
  });

  it.each([
    ['+05:00', 'Etc/GMT-5'],
    ['UTC+5', 'Etc/GMT-5'],
    ['GMT-3', 'Etc/GMT+3'],
  ])('rejects raw offset %s and mentions %s', (zone, etc) => {
    const error = rejection(zone);
    expect(error.message).toMatch(/offset.*region zone/);
    expect(error.message).toContain(`"${etc}"`);
  });

  it('rejects an offset with minutes without an Etc suggestion', () => {
    expect(rejection('UTC+05:30').message).not.toContain('Etc/GMT');
  });
});
