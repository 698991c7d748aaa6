/**
 * Every timer the worker starts goes through one of these, so `stop()` can clear all of them and a
 * test can assert that none is left (`size === 0`).
 */
export interface TrackedTimers {
  /** Runs `callback` after `delayMs`; returns a function that cancels it. */
  after(delayMs: number, callback: () => void): () => void;
  /**
   * Runs `callback` in the next turn of the event loop (`setImmediate`: after pending I/O, without
   * the ~1 ms minimum of a 0 ms timeout); returns a function that cancels it. Counted in `size`.
   */
  soon(callback: () => void): () => void;
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
  const immediates = new Set<NodeJS.Immediate>();
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
    soon(callback) {
      const handle = setImmediate(() => {
        immediates.delete(handle);
        callback();
      });
      immediates.add(handle);
      return () => {
        clearImmediate(handle);
        immediates.delete(handle);
      };
    },
    clearAll() {
      for (const handle of pending) clearTimeout(handle);
      pending.clear();
      for (const handle of immediates) clearImmediate(handle);
      immediates.clear();
    },
    get size() {
      return pending.size + immediates.size;
    },
  };
}
