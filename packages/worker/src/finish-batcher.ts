import type { DurablyStore, RunFinish, RunFinishResult } from '@durably/core';
import { computeStoreBackoffMs } from './poll-delay.js';
import type { RunJournal } from './run-journal.js';
import type { TrackedTimers } from './tracked-timers.js';
import type { WorkerLogger } from './worker-logger.js';

/** What a finish batcher writes through, and how it batches. */
export interface FinishBatcherOptions {
  store: DurablyStore;
  journal: RunJournal;
  logger: WorkerLogger;
  timers: TrackedTimers;
  /**
   * How long a finish waits for others to share its write, in ms. Default 0: the write starts in
   * the next event-loop turn, so endings of the same burst share it; while a write is in flight the
   * next endings gather and go out together as soon as it returns (the batch adapts to the load
   * instead of a fixed window adding latency).
   */
  windowMs?: number;
  /** Most finishes per `runFinishMany` call. Default 100. */
  maxBatch?: number;
  /**
   * Most `runFinishMany` calls in flight at once. Default 2: a second write starts only with at
   * least half a batch waiting, so a busy worker overlaps two writes (the store's round trip is the limit,
   * not its CPU) while a quiet one still gathers each burst into one write. One while writes fail.
   */
  maxWrites?: number;
}

interface Entry {
  finish: RunFinish;
  /** True once the heartbeat learnt that this attempt's lease is gone: the write would be fenced out. */
  isLost(): boolean;
  resolve(result: RunFinishResult | undefined): void;
}

/**
 * Writes attempt endings in batches through `runFinishMany`. A write that fails (database down,
 * failover) is retried with backoff until it succeeds or the attempt's lease is known to be lost —
 * an ending is never dropped while it could still apply. Buffered progress and log lines are
 * flushed first, because the store fences them on the lease the finish gives up.
 */
export interface FinishBatcher {
  /** Queues a finish; resolves with the store's result, or `undefined` if it was abandoned. */
  submit(finish: RunFinish, isLost: () => boolean): Promise<RunFinishResult | undefined>;
  /** Writes what is queued now and resolves when nothing is queued or being written. */
  flush(): Promise<void>;
  /**
   * Gives up on everything still queued and on failed writes from now on (after shutdown could not
   * reach the store; the runs are recovered when their leases expire). Returns how many it dropped.
   */
  abandon(): number;
  readonly pending: number;
}

/** Creates a batcher. */
export function createFinishBatcher(options: FinishBatcherOptions): FinishBatcher {
  const windowMs = options.windowMs ?? 0;
  const maxBatch = options.maxBatch ?? 100;
  const queue: Entry[] = [];
  const maxWrites = options.maxWrites ?? 2;
  // A second write starts early only for at least half a batch: smaller overlaps cost more
  // statements than the round trip they save.
  const minOverlapBatch = Math.max(1, Math.ceil(maxBatch / 2));
  let writing = 0;
  let failures = 0;
  let cancelTimer: (() => void) | undefined;
  let idleWaiters: (() => void)[] = [];
  let abandoned = false;

  const writeLimit = () => (failures > 0 ? 1 : maxWrites);

  function schedule(delayMs: number): void {
    if (cancelTimer || abandoned || writing >= writeLimit()) return;
    // With a write in flight, a partial batch waits for it: it is gathering more endings meanwhile.
    if (writing > 0 && queue.length < minOverlapBatch) return;
    const fire = () => {
      cancelTimer = undefined;
      void write();
    };
    cancelTimer = delayMs <= 0 ? options.timers.soon(fire) : options.timers.after(delayMs, fire);
  }

  function notifyIfIdle(): void {
    if (queue.length > 0 || writing > 0) return;
    const waiters = idleWaiters;
    idleWaiters = [];
    for (const wake of waiters) wake();
  }

  async function write(): Promise<void> {
    if (writing >= writeLimit()) return;
    const batch = takeBatch(queue, maxBatch);
    writing += 1;
    try {
      if (batch.length > 0) await writeBatch(batch);
    } finally {
      writing -= 1;
    }
    if (queue.length > 0) schedule(computeStoreBackoffMs(failures));
    notifyIfIdle();
  }

  async function writeBatch(batch: Entry[]): Promise<void> {
    await options.journal.flush();
    try {
      const results = await options.store.runFinishMany({ finishes: batch.map((entry) => entry.finish) });
      failures = 0;
      batch.forEach((entry, index) => entry.resolve(results[index]));
    } catch (error) {
      failures += 1;
      if (abandoned) {
        for (const entry of batch) entry.resolve(undefined); // shutdown gave up on the store
        return;
      }
      queue.unshift(...batch);
      options.logger.error(
        { err: error, finishes: batch.length, failures },
        'recording attempt endings failed; retrying with backoff until the store answers',
      );
    }
  }

  return {
    submit(finish, isLost) {
      return new Promise((resolve) => {
        queue.push({ finish, isLost, resolve });
        if (queue.length >= maxBatch) {
          cancelTimer?.();
          cancelTimer = undefined;
          schedule(0);
        } else schedule(failures > 0 ? computeStoreBackoffMs(failures) : windowMs);
      });
    },
    async flush() {
      if (queue.length === 0 && writing === 0) return;
      const idle = new Promise<void>((resolve) => idleWaiters.push(resolve));
      if (failures === 0) {
        cancelTimer?.();
        cancelTimer = undefined;
        void write();
      }
      await idle;
    },
    abandon() {
      abandoned = true;
      cancelTimer?.();
      cancelTimer = undefined;
      const dropped = queue.splice(0, queue.length);
      for (const entry of dropped) entry.resolve(undefined);
      notifyIfIdle();
      return dropped.length;
    },
    get pending() {
      return queue.length;
    },
  };
}

/** Takes up to `max` entries, resolving (as abandoned) those whose lease is already known lost. */
function takeBatch(queue: Entry[], max: number): Entry[] {
  const batch: Entry[] = [];
  while (queue.length > 0 && batch.length < max) {
    const entry = queue.shift()!;
    if (entry.isLost()) entry.resolve(undefined);
    else batch.push(entry);
  }
  return batch;
}
