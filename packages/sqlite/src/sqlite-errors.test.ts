import { describe, expect, it } from 'vitest';
import { isSqliteTransientError, isSqliteUniqueViolation } from './sqlite-errors.js';

const withCode = (code: string) => Object.assign(new Error('x'), { code });

describe('sqlite error classification', () => {
  it('treats lock contention as transient', () => {
    expect(isSqliteTransientError(withCode('SQLITE_BUSY'))).toBe(true);
    expect(isSqliteTransientError(withCode('SQLITE_BUSY_SNAPSHOT'))).toBe(true);
    expect(isSqliteTransientError(withCode('SQLITE_LOCKED'))).toBe(true);
  });

  it('does not hide errors that need a person', () => {
    for (const code of ['SQLITE_CORRUPT', 'SQLITE_READONLY', 'SQLITE_FULL', 'SQLITE_CONSTRAINT_UNIQUE']) {
      expect(isSqliteTransientError(withCode(code))).toBe(false);
    }
    expect(isSqliteTransientError(new Error('boom'))).toBe(false);
  });

  it('recognises unique and primary-key violations', () => {
    expect(isSqliteUniqueViolation(withCode('SQLITE_CONSTRAINT_UNIQUE'))).toBe(true);
    expect(isSqliteUniqueViolation(withCode('SQLITE_CONSTRAINT_PRIMARYKEY'))).toBe(true);
    expect(isSqliteUniqueViolation(withCode('SQLITE_CONSTRAINT_CHECK'))).toBe(false);
  });
});
