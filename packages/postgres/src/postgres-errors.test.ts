import { describe, expect, it } from 'vitest';
import { isPostgresTransientError, isPostgresUniqueViolation } from './postgres-errors.js';

const withCode = (code: string, message = 'x') => Object.assign(new Error(message), { code });

describe('postgres error classification', () => {
  it.each([
    ['refused connection', withCode('ECONNREFUSED')],
    ['reset connection', withCode('ECONNRESET')],
    ['admin shutdown (pg_terminate_backend)', withCode('57P01')],
    ['server starting', withCode('57P03')],
    ['connection failure class 08', withCode('08006')],
    ['too many connections', withCode('53300')],
    ['serialization failure', withCode('40001')],
    ['deadlock victim', withCode('40P01')],
    ['pg: connection terminated', new Error('Connection terminated unexpectedly')],
    ['all addresses refused', new AggregateError([withCode('ECONNREFUSED')], '')],
  ])('%s is transient', (_, error) => {
    expect(isPostgresTransientError(error)).toBe(true);
  });

  it.each([
    ['unique violation', withCode('23505')],
    ['syntax error', withCode('42601')],
    ['undefined table', withCode('42P01')],
    ['a plain error', new Error('boom')],
    ['not an error', 'ECONNREFUSED'],
  ])('%s is not transient', (_, error) => {
    expect(isPostgresTransientError(error)).toBe(false);
  });

  it('recognises unique violations only', () => {
    expect(isPostgresUniqueViolation(withCode('23505'))).toBe(true);
    expect(isPostgresUniqueViolation(withCode('23503'))).toBe(false);
  });
});
