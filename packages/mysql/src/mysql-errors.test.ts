import { describe, expect, it } from 'vitest';
import { MySqlAdapter } from './mysql-adapter.js';
import { isMySqlLockConflict, isMySqlTransientError, isMySqlUniqueViolation } from './mysql-errors.js';

/** Errors shaped as mysql2 raises them (server errors carry errno/code; socket errors a Node code). */
const serverError = (errno: number, code: string) =>
  Object.assign(new Error(code), { errno, code, sqlState: 'HY000' });

describe('mysql error classification', () => {
  it('treats deadlocks, lock wait timeouts and lost connections as transient', () => {
    expect(isMySqlTransientError(serverError(1213, 'ER_LOCK_DEADLOCK'))).toBe(true);
    expect(isMySqlTransientError(serverError(1205, 'ER_LOCK_WAIT_TIMEOUT'))).toBe(true);
    expect(isMySqlTransientError(serverError(1040, 'ER_CON_COUNT_ERROR'))).toBe(true);
    expect(isMySqlTransientError(serverError(1927, 'ER_CONNECTION_KILLED'))).toBe(true);
    expect(
      isMySqlTransientError(
        Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED', fatal: true }),
      ),
    ).toBe(true);
    expect(
      isMySqlTransientError(
        Object.assign(new Error('lost'), { code: 'PROTOCOL_CONNECTION_LOST', fatal: true }),
      ),
    ).toBe(true);
    expect(isMySqlTransientError(new Error("Can't add new command when connection is in closed state"))).toBe(
      true,
    );
    expect(
      isMySqlTransientError(new AggregateError([Object.assign(new Error('x'), { code: 'ECONNREFUSED' })])),
    ).toBe(true);
  });

  it('does not hide constraint, syntax or permission errors as transient', () => {
    expect(isMySqlTransientError(serverError(1062, 'ER_DUP_ENTRY'))).toBe(false);
    expect(isMySqlTransientError(serverError(1064, 'ER_PARSE_ERROR'))).toBe(false);
    expect(isMySqlTransientError(serverError(1146, 'ER_NO_SUCH_TABLE'))).toBe(false);
    expect(isMySqlTransientError(serverError(1045, 'ER_ACCESS_DENIED_ERROR'))).toBe(false);
    expect(isMySqlTransientError('ECONNREFUSED')).toBe(false);
    expect(isMySqlTransientError(null)).toBe(false);
  });

  it('recognises unique violations and lock conflicts', () => {
    expect(isMySqlUniqueViolation(serverError(1062, 'ER_DUP_ENTRY'))).toBe(true);
    expect(isMySqlUniqueViolation(serverError(1586, 'ER_DUP_ENTRY_WITH_KEY_NAME'))).toBe(true);
    expect(isMySqlUniqueViolation(serverError(1452, 'ER_NO_REFERENCED_ROW_2'))).toBe(false);
    expect(isMySqlLockConflict(serverError(1213, 'ER_LOCK_DEADLOCK'))).toBe(true);
    expect(isMySqlLockConflict(serverError(1040, 'ER_CON_COUNT_ERROR'))).toBe(false);
  });
});

describe('MySqlAdapter.runStoreTransaction', () => {
  const adapter = new MySqlAdapter();
  it('runs a transaction again after a deadlock and returns its result', async () => {
    let calls = 0;
    const result = await adapter.runStoreTransaction(async () => {
      calls += 1;
      if (calls < 3) throw serverError(1213, 'ER_LOCK_DEADLOCK');
      return 'done';
    });
    expect(result).toBe('done');
    expect(calls).toBe(3);
  });

  it('gives up after 6 tries and never retries other errors', async () => {
    let calls = 0;
    await expect(
      adapter.runStoreTransaction(async () => {
        calls += 1;
        throw serverError(1205, 'ER_LOCK_WAIT_TIMEOUT');
      }),
    ).rejects.toMatchObject({ errno: 1205 });
    expect(calls).toBe(6);
    calls = 0;
    await expect(
      adapter.runStoreTransaction(async () => {
        calls += 1;
        throw serverError(1062, 'ER_DUP_ENTRY');
      }),
    ).rejects.toMatchObject({ errno: 1062 });
    expect(calls).toBe(1);
  });
});
