/**
 * Every timer the worker starts goes through one of these, so `stop()` can clear all of them and a
 * test can assert that none is left (`size === 0`).
 */
export interface TrackedTimers {
  /** Runs `callback` after `delayMs`; returns a function that cancels it. */
  after(delayMs: number, callback: () => void): () => void;
  /** Cancels every pending timer. */
  clearAll(): void;
  /** Number of pending timers. */
  readonly size: number;
}

/**
 * Creates an empty timer set. Timers are not `unref`'d: a started worker keeps the process alive,
 * as a server does, until `stop()` clears them.
 */
export function createTrackedTimers(): TrackedTimers {
  const pending = new Set<NodeJS.Timeout>();
  return {
    after(delayMs, callback) {
      const handle = setTimeout(() => {
        pending.delete(handle);
        callback();
      }, Math.max(0, delayMs));
      pending.add(handle);
      return () => {
        clearTimeout(handle);
        pending.delete(handle);
      };
    },
    clearAll() {
      for (const handle of pending) clearTimeout(handle);
      pending.clear();
    },
    get size() {
      return pending.size;
    },
  };
}
