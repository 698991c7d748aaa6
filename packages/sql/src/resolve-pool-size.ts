import { ConfigurationError } from '@durably/core';

/**
 * Connections a provider reserves for lease extension and worker beats, besides its main pool, so
 * that a main pool busy with claims and enqueues never starves them (a starved lease extension
 * would let a running attempt's lease expire).
 */
export const leasePoolSize = 2;

/**
 * A provider's main pool size option: `value` when it is an integer >= 1, `defaultSize` (10) when
 * it is missing; anything else throws a `ConfigurationError` naming `option`.
 */
export function resolvePoolSize(value: number | undefined, option: string, defaultSize = 10): number {
  if (value === undefined) return defaultSize;
  if (!Number.isSafeInteger(value) || value < 1) {
    throw new ConfigurationError(option, `must be an integer >= 1, got ${String(value)}.`);
  }
  return value;
}
