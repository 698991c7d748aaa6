/** What waits for a slot: an attempt, which may be aborted while it waits. */
export interface SlotWaiter {
  readonly abortCause: unknown;
  /** Set while waiting; called (once) if the attempt is aborted. */
  onAbort: (() => void) | undefined;
}

/**
 * The worker's `maxConcurrentRuns` execution slots. Without prefetching every claimed attempt finds
 * a slot free (the claim asked for no more); with `prefetchRuns` the extra claimed attempts wait
 * here, first claimed first served, until a handler settles and hands its slot on.
 */
export interface ExecutionSlots {
  /**
   * Takes a slot: `true` at once when one is free, else a promise of `true` when one frees, or of
   * `false` if the attempt is aborted first (cancelled, lost or released while waiting: it never
   * ran and holds no slot).
   */
  acquire(attempt: SlotWaiter): true | Promise<boolean>;
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
    acquire(attempt) {
      if (free > 0 && queue.length === 0) {
        free -= 1;
        return true;
      }
      if (attempt.abortCause !== undefined) return Promise.resolve(false);
      return new Promise<boolean>((resolve) => {
        const waiter = {
          grant() {
            attempt.onAbort = undefined;
            resolve(true);
          },
        };
        attempt.onAbort = () => {
          const index = queue.indexOf(waiter);
          if (index >= 0) queue.splice(index, 1);
          resolve(false);
        };
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
