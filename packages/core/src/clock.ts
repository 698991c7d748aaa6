/**
 * The source of "now" for everything that is not the store: retry jitter, cron previews, the worker's
 * timers. Tests inject a fake clock (`@durably/testing`'s `createFakeClock`) instead of sleeping.
 */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };
