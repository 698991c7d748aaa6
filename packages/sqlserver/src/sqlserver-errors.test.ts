import { describe, expect, it } from 'vitest';
import { SqlServerAdapter } from './sqlserver-adapter.js';
import { isSqlServerTransientError, isSqlServerUniqueViolation } from './sqlserver-errors.js';

/** Errors shaped as tedious raises them: RequestError carries the server's `number`, ConnectionError a `code`. */
const requestError = (number: number) =>
  Object.assign(new Error(`error ${number}`), { code: 'EREQUEST', number });
const connectionError = (code: string) => Object.assign(new Error(code), { code });

describe('sqlserver error classification', () => {
  it('treats deadlocks, lock timeouts, failovers and lost connections as transient', () => {
    for (const number of [1205, 1222, 40613, 40501, 4060])
      expect(isSqlServerTransientError(requestError(number))).toBe(true);
    for (const code of ['ESOCKET', 'ETIMEOUT', 'ECLOSE'])
      expect(isSqlServerTransientError(connectionError(code))).toBe(true);
    expect(isSqlServerTransientError(Object.assign(new Error('acquire'), { name: 'TimeoutError' }))).toBe(
      true,
    );
    class TimeoutError extends Error {}
    expect(isSqlServerTransientError(new TimeoutError('operation timed out for an unknown reason'))).toBe(
      true,
    );
  });

  it('does not hide constraint, syntax or login errors', () => {
    for (const number of [2627, 2601, 102, 208, 547])
      expect(isSqlServerTransientError(requestError(number))).toBe(false);
    expect(isSqlServerTransientError(connectionError('ELOGIN'))).toBe(false);
  });

  it('recognises duplicate keys', () => {
    expect(isSqlServerUniqueViolation(requestError(2627))).toBe(true);
    expect(isSqlServerUniqueViolation(requestError(2601))).toBe(true);
    expect(isSqlServerUniqueViolation(requestError(547))).toBe(false);
  });

  it('runs a transaction again after a deadlock, never after other errors', async () => {
    let calls = 0;
    expect(
      await new SqlServerAdapter().runStoreTransaction(async () => {
        calls += 1;
        if (calls === 1) throw requestError(1205);
        return 'ok';
      }),
    ).toBe('ok');
    expect(calls).toBe(2);
    await expect(
      new SqlServerAdapter().runStoreTransaction(async () => Promise.reject(requestError(2627))),
    ).rejects.toMatchObject({ number: 2627 });
  });
});
