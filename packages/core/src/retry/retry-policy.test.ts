import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../errors.js';
import { canRetry, computeRetryDelayMs, type RetryDelayInput } from './retry-policy.js';

const defaults = {
  retryDelayMs: 5_000,
  retryMaxDelayMs: 3_600_000,
  retryJitterEnabled: false,
  retryJitterRatio: 0.2,
};
const fixed = { mode: 'fixed', initialDelaySeconds: undefined } as const;
const backoff = { mode: 'backoff', initialDelaySeconds: undefined } as const;

function delay(failedAttempt: number, overrides: Partial<RetryDelayInput> = {}): number {
  return computeRetryDelayMs({ failedAttempt, retry: fixed, options: defaults, ...overrides });
}

describe('computeRetryDelayMs', () => {
  it('fixed mode keeps the global base delay for every attempt', () => {
    expect([1, 2, 3, 10].map((attempt) => delay(attempt))).toEqual([5_000, 5_000, 5_000, 5_000]);
  });

  it('backoff doubles per failed attempt: 5 s, 10 s, 20 s, 40 s …', () => {
    const table = [1, 2, 3, 4, 5, 6].map((attempt) => delay(attempt, { retry: backoff }));
    expect(table).toEqual([5_000, 10_000, 20_000, 40_000, 80_000, 160_000]);
  });

  it('uses the per-job initial delay when set and > 0', () => {
    const retry = { mode: 'backoff', initialDelaySeconds: 10 } as const;
    expect([1, 2, 3].map((attempt) => delay(attempt, { retry }))).toEqual([10_000, 20_000, 40_000]);
    expect(delay(1, { retry: { mode: 'fixed', initialDelaySeconds: 0.5 } })).toBe(500);
  });

  it.each([0, -3])('falls back to the global delay when the per-job delay is %s', (initialDelaySeconds) => {
    expect(delay(2, { retry: { mode: 'backoff', initialDelaySeconds } })).toBe(10_000);
  });

  it('clamps to retryMaxDelay (1 h): backoff reaches it at attempt 11', () => {
    expect(delay(10, { retry: backoff })).toBe(2_560_000);
    expect(delay(11, { retry: backoff })).toBe(3_600_000);
    expect(delay(12, { retry: backoff })).toBe(3_600_000);
  });

  it('clamps a fixed delay larger than the maximum', () => {
    expect(delay(1, { options: { ...defaults, retryDelayMs: 7_200_000 } })).toBe(3_600_000);
  });

  it.each([64, 1000, 1024, 5000, Number.MAX_SAFE_INTEGER])(
    'stays finite and clamped for huge attempt %s',
    (attempt) => {
      expect(delay(attempt, { retry: backoff })).toBe(3_600_000);
      const jittered = { ...defaults, retryJitterEnabled: true, retryJitterRatio: 1 };
      expect(delay(attempt, { retry: backoff, options: jittered, random: () => 0.999 })).toBe(3_600_000);
    },
  );

  it('full jitter (ratio 1) at random 0 gives 0, never NaN, even for huge attempts', () => {
    const options = { ...defaults, retryJitterEnabled: true, retryJitterRatio: 1 };
    expect(delay(5000, { retry: backoff, options, random: () => 0 })).toBe(0);
  });

  it('a zero base delay stays zero in backoff, whatever the attempt', () => {
    expect(delay(2000, { retry: backoff, options: { ...defaults, retryDelayMs: 0 } })).toBe(0);
  });

  describe('jitter', () => {
    const options = { ...defaults, retryJitterEnabled: true, retryJitterRatio: 0.2 };

    it('spans ±ratio: random 0 → base × 0.8, random 1 → base × 1.2, 0.5 → base', () => {
      expect(delay(1, { options, random: () => 0 })).toBe(4_000);
      expect(delay(1, { options, random: () => 1 })).toBe(6_000);
      expect(delay(1, { options, random: () => 0.5 })).toBe(5_000);
    });

    it('applies after backoff and before the clamp', () => {
      expect(delay(3, { retry: backoff, options, random: () => 0 })).toBe(16_000);
      expect(delay(3, { retry: backoff, options, random: () => 1 })).toBe(24_000);
      // 2 560 s × 1.2 = 3 072 s stays under the cap; 2 560 s at attempt 10, ×1.2 at attempt 11 exceeds it.
      expect(delay(10, { retry: backoff, options, random: () => 1 })).toBe(3_072_000);
      expect(delay(11, { retry: backoff, options, random: () => 0 })).toBe(3_600_000);
    });

    it('stays within the bounds for many random draws', () => {
      for (let i = 0; i < 200; i += 1) {
        const value = delay(2, { retry: backoff, options });
        expect(value).toBeGreaterThanOrEqual(8_000);
        expect(value).toBeLessThanOrEqual(12_000);
      }
    });

    it('is not applied when disabled, whatever random returns', () => {
      expect(delay(1, { random: () => 0 })).toBe(5_000);
    });
  });

  it.each([0, -1, 1.5, Number.NaN])('rejects the attempt number %s', (attempt) => {
    expect(() => delay(attempt)).toThrow(InvalidArgumentError);
  });
});

describe('canRetry', () => {
  it('retries while attempt < maxAttempts (maxAttempts includes the first attempt)', () => {
    expect(canRetry(1, 3)).toBe(true);
    expect(canRetry(2, 3)).toBe(true);
    expect(canRetry(3, 3)).toBe(false);
    expect(canRetry(4, 3)).toBe(false);
    expect(canRetry(1, 1)).toBe(false);
  });
});
