/**
 * The wait before the next poll: `pollIntervalMs` scaled by a random factor in
 * `[1 - jitterRatio, 1 + jitterRatio]`, so workers started together drift apart instead of hitting
 * the store in step (5 s with ratio 0.2 → 4–6 s). `jitterRatio` 0 disables jitter.
 */
export function computePollDelayMs(input: {
  pollIntervalMs: number;
  jitterRatio: number;
  random: () => number;
}): number {
  const { pollIntervalMs, jitterRatio, random } = input;
  if (jitterRatio <= 0) return pollIntervalMs;
  const factor = 1 + jitterRatio * (2 * random() - 1);
  return Math.max(0, Math.round(pollIntervalMs * factor));
}

/**
 * Delay before retrying a store call that failed (database down, failover): doubles from
 * `initialMs` per consecutive failure up to `maxMs`, so a worker neither hammers a recovering
 * database nor waits minutes after it is back.
 */
export function computeStoreBackoffMs(failures: number, initialMs = 250, maxMs = 10_000): number {
  if (failures <= 0) return 0;
  return Math.min(maxMs, initialMs * 2 ** Math.min(failures - 1, 30));
}
