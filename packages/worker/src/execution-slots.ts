/**
 * The worker's `maxConcurrentRuns` execution slots. Without prefetching every claimed attempt finds
 * a slot free (the claim asked for no more); with `prefetchRuns` the extra claimed attempts wait
 * here, first claimed first served, until a handler settles and hands its slot on.
 */
export interface ExecutionSlots {
  /**
   * Takes a slot: `true` at once when one is free, else a promise of `true` when one frees, or of
   * `false` if `signal` aborts first (the attempt was cancelled, lost or released while waiting;
   * it never ran and holds no slot).
   */
  acquire(signal: AbortSignal): true | Promise<boolean>;
  /** Gives a slot back; the longest-waiting attempt takes it. */
  release(): void;
  /** Attempts waiting for a slot. */
  readonly waiting: number;
}

/** Creates `size` slots. */
export function createExecutionSlots(size: number): ExecutionSlots {
  let free = size;
  const queue: { grant(): void }[] = [];

  return {
    acquire(signal) {
      if (free > 0 && queue.length === 0) {
        free -= 1;
        return true;
      }
      return new Promise<boolean>((resolve) => {
        const waiter = {
          grant() {
            signal.removeEventListener('abort', onAbort);
            resolve(true);
          },
        };
        const onAbort = () => {
          const index = queue.indexOf(waiter);
          if (index >= 0) queue.splice(index, 1);
          resolve(false);
        };
        if (signal.aborted) return resolve(false);
        signal.addEventListener('abort', onAbort, { once: true });
        queue.push(waiter);
      });
    },
    release() {
      const next = queue.shift();
      if (next) next.grant();
      else free += 1;
    },
    get waiting() {
      return queue.length;
    },
  };
}
