import { describe, expect, it } from 'vitest';
import { retryOnLockConflict } from './retry-on-lock-conflict.js';

const deadlock = Object.assign(new Error('deadlock'), { conflict: true });
const isConflict = (error: unknown): boolean => (error as { conflict?: boolean }).conflict === true;

describe('retryOnLockConflict', () => {
  it('runs the transaction again after a lock conflict and returns its result', async () => {
    let calls = 0;
    const result = await retryOnLockConflict(async () => {
      calls += 1;
      if (calls < 3) throw deadlock;
      return 'done';
    }, isConflict);
    expect(result).toBe('done');
    expect(calls).toBe(3);
  });

  it('gives up after 6 tries and never retries other errors', async () => {
    let calls = 0;
    const failing = retryOnLockConflict(async () => {
      calls += 1;
      throw deadlock;
    }, isConflict);
    await expect(failing).rejects.toBe(deadlock);
    expect(calls).toBe(6);
    calls = 0;
    const other = new Error('duplicate key');
    const failingOther = retryOnLockConflict(async () => {
      calls += 1;
      throw other;
    }, isConflict);
    await expect(failingOther).rejects.toBe(other);
    expect(calls).toBe(1);
  });
});
