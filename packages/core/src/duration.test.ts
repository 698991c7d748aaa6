import { describe, expect, it } from 'vitest';
import { parseDuration } from './duration.js';
import { ConfigurationError } from './errors.js';

describe('parseDuration', () => {
  it.each([
    [0, 0],
    [1500, 1500],
    [0.5, 0.5],
  ])('reads the number %s as milliseconds', (input, expected) => {
    expect(parseDuration(input, 'retryDelay')).toBe(expected);
  });

  it.each([
    ['250', 250],
    ['500ms', 500],
    ['5s', 5_000],
    ['1.5s', 1_500],
    ['10m', 600_000],
    ['1h', 3_600_000],
    ['1d', 86_400_000],
    ['1h30m', 5_400_000],
    ['1h 30m', 5_400_000],
    ['2m30s', 150_000],
    ['1d2h3m4s5ms', 93_784_005],
    ['5S', 5_000],
    ['  5s  ', 5_000],
  ])('reads the unit string %j', (input, expected) => {
    expect(parseDuration(input, 'retryDelay')).toBe(expected);
  });

  it.each([
    ['00:00:05', 5_000],
    ['01:00:00', 3_600_000],
    ['00:10', 600_000],
    ['1.02:00:00', 93_600_000],
    ['00:00:01.5', 1_500],
    ['00:00:00.0010000', 1],
    ['0:0:7', 7_000],
  ])('reads the .NET TimeSpan %j', (input, expected) => {
    expect(parseDuration(input, 'retryMaxDelay')).toBe(expected);
  });

  it.each([
    '',
    '   ',
    'soon',
    '5 seconds',
    '5x',
    '-5s',
    '-1',
    '30m1h',
    '5s5s',
    '25:00:00',
    '00:60:00',
    '00:00:60',
    '1:2:3:4',
    's',
    '1e3',
  ])('rejects %j naming the key and the accepted forms', (input) => {
    const error = catchError(() => parseDuration(input, 'retryDelay'));
    expect(error).toBeInstanceOf(ConfigurationError);
    expect(error.key).toBe('retryDelay');
    expect(error.message).toContain('use "5s", "00:00:05" or a number of milliseconds');
  });

  it.each([-1, Number.NaN, Number.POSITIVE_INFINITY, Number.MAX_SAFE_INTEGER * 2])(
    'rejects the number %s',
    (input) => {
      expect(() => parseDuration(input, 'retryMaxDelay')).toThrow(/`retryMaxDelay`/);
    },
  );

  it('rejects values that are neither numbers nor strings at run time', () => {
    expect(() => parseDuration(true as unknown as number, 'x')).toThrow(ConfigurationError);
  });
});

function catchError(fn: () => unknown): ConfigurationError {
  try {
    fn();
  } catch (error) {
    return error as ConfigurationError;
  }
  throw new Error('expected an error');
}
