import {
  ConfigurationError,
  RunNotFoundError,
  ScheduleError,
  StoreUnavailableError,
  UnknownJobError,
} from '@durably/core';
import { describe, expect, it } from 'vitest';
import { CliError, describeFailure } from './cli-error.js';
import { exitCodes } from './exit-codes.js';

describe('describeFailure', () => {
  it.each([
    [new CliError('bad flag', exitCodes.usage), exitCodes.usage],
    [new ConfigurationError('DURABLY_DATABASE_URL', 'nope'), exitCodes.usage],
    [new ScheduleError('cron', 'bad cron'), exitCodes.usage],
    [new UnknownJobError('x'), exitCodes.notFound],
    [new RunNotFoundError('r1'), exitCodes.notFound],
    [new StoreUnavailableError('down'), exitCodes.failure],
    [new Error('boom'), exitCodes.failure],
  ])('maps %s to exit code %i', (error, code) => {
    expect(describeFailure(error).exitCode).toBe(code);
  });

  it('reports a driver connection error by its code when it has no message', () => {
    const refused = Object.assign(new AggregateError([], ''), { code: 'ECONNREFUSED' });
    expect(describeFailure(refused)).toEqual({
      message: 'cannot use the database: ECONNREFUSED',
      exitCode: 1,
    });
  });

  it('keeps only the first line of a foreign error (never a stack trace)', () => {
    expect(describeFailure(new Error('first\nsecond')).message).toBe('first');
  });

  it('points at migrate when the tables are missing', () => {
    expect(describeFailure(new Error('no such table: durably_runs')).message).toMatch(
      /run `durably migrate`/,
    );
    expect(describeFailure(new Error('relation "durably_runs" does not exist')).message).toMatch(
      /run `durably migrate`/,
    );
  });
});
