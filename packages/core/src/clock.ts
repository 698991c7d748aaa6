/**
 * The source of "now" for everything that is not the store: retry jitter, cron previews, the worker's
 * timers. Tests inject a fake clock (`@durably/testing`'s `createFakeClock`) instead of sleeping.
 */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** A clock that moves only when told to. For tests: time-dependent behaviour is tested without sleeps. */
export interface FakeClock extends Clock {
  /** Moves time forward by `ms` milliseconds. */
  advance(ms: number): Date;
  /** Sets the current time. */
  set(time: Date | string): Date;
}

/** Creates a fake clock starting at `start` (default 2026-01-01T00:00:00Z). */
export function createFakeClock(start: Date | string = '2026-01-01T00:00:00Z'): FakeClock {
  let current = new Date(start).getTime();
  return {
    now: () => new Date(current),
    advance(ms) {
      current += ms;
      return new Date(current);
    },
    set(time) {
      current = new Date(time).getTime();
      return new Date(current);
    },
  };
}
