import type { AttemptRef, Clock, DurablyStore, LogLevel, NewLogLine, ProgressUpdate } from '@durably/core';
import type { TrackedTimers } from './tracked-timers.js';
import type { WorkerLogger } from './worker-logger.js';

/** Where a journal writes and when it flushes. */
export interface RunJournalOptions {
  store: DurablyStore;
  clock: Clock;
  logger: WorkerLogger;
  timers: TrackedTimers;
  /** Flush at the latest this long after the first buffered entry. Default in options: 2 000 ms. */
  flushIntervalMs: number;
  /** Flush at once when this many entries (log lines + progress updates) are buffered. Default 50. */
  flushBatchSize: number;
  /** Lines the store keeps per run (the newest); also the most this buffer holds per run. Default 1 000. */
  maxLinesPerRun: number;
}

/**
 * Buffers handlers' `ctx.progress` and `ctx.log` calls and writes them in batches, so a chatty
 * handler costs one write per batch instead of one per line. Writes are fenced by the store, so a
 * line from an attempt that lost its lease is dropped there.
 */
export interface RunJournal {
  progress(ref: AttemptRef, percent: number, message: string | null): void;
  log(ref: AttemptRef, level: LogLevel, message: string): void;
  /** Writes everything buffered. Never throws: a failed write is logged and kept for the next flush. */
  flush(): Promise<void>;
  /** Drops what is still buffered for an attempt (after it ended and its last flush ran). */
  forget(ref: AttemptRef): void;
  /** Ignores further entries (a handler abandoned at shutdown may still log), then flushes. */
  close(): Promise<void>;
  /** Buffered entries. */
  readonly size: number;
}

/** Creates a journal; its interval timer exists only while something is buffered. */
export function createRunJournal(options: RunJournalOptions): RunJournal {
  const lines = new Map<string, NewLogLine[]>();
  const progress = new Map<string, ProgressUpdate>();
  let lineCount = 0;
  let cancelTimer: (() => void) | undefined;
  let inFlight: Promise<void> | undefined;
  let closed = false;

  const size = () => lineCount + progress.size;

  function addLine(line: NewLogLine, atFront = false): void {
    const key = attemptKey(line);
    const list = lines.get(key) ?? [];
    if (atFront) list.unshift(line);
    else list.push(line);
    lines.set(key, list);
    lineCount += 1;
    // The store keeps only the newest maxLinesPerRun lines, so older buffered ones can go now.
    while (list.length > options.maxLinesPerRun) {
      list.shift();
      lineCount -= 1;
    }
  }

  function armTimer(): void {
    if (cancelTimer || closed) return;
    cancelTimer = options.timers.after(options.flushIntervalMs, () => {
      cancelTimer = undefined;
      void flush();
    });
  }

  function entryAdded(): void {
    // While a write is in flight, new entries wait for it; flush() looks at the size afterwards.
    if (size() >= options.flushBatchSize && !inFlight) void flush();
    else armTimer();
  }

  /** Writes the buffer; returns false when a write failed (what failed is back in the buffer). */
  async function writeBuffered(): Promise<boolean> {
    const updates = [...progress.values()];
    const batch = [...lines.values()].flat();
    progress.clear();
    lines.clear();
    lineCount = 0;
    let ok = true;
    try {
      if (updates.length > 0) await options.store.runProgressSet({ updates });
    } catch (error) {
      for (const update of updates) if (!progress.has(attemptKey(update))) progress.set(attemptKey(update), update);
      ok = false;
      options.logger.warn({ err: error, updates: updates.length }, 'writing run progress failed; will retry');
    }
    try {
      if (batch.length > 0) await options.store.runLogAppend({ lines: batch, maxLinesPerRun: options.maxLinesPerRun });
    } catch (error) {
      for (const line of batch.reverse()) addLine(line, true);
      ok = false;
      options.logger.warn({ err: error, lines: batch.length }, 'writing run log lines failed; will retry');
    }
    return ok;
  }

  async function flush(): Promise<void> {
    while (inFlight) await inFlight;
    cancelTimer?.();
    cancelTimer = undefined;
    if (size() === 0) return;
    let ok = false;
    inFlight = writeBuffered()
      .then((result) => {
        ok = result;
      })
      .finally(() => {
        inFlight = undefined;
      });
    await inFlight;
    if (size() === 0) return;
    // After a failure wait for the interval (no tight retry loop while the store is down).
    if (ok && size() >= options.flushBatchSize) void flush();
    else armTimer();
  }

  return {
    progress(ref, percent, message) {
      if (closed) return;
      progress.set(attemptKey(ref), { ...ref, percent, message });
      entryAdded();
    },
    log(ref, level, message) {
      if (closed) return;
      addLine({ ...ref, at: options.clock.now(), level, message });
      entryAdded();
    },
    flush,
    async close() {
      closed = true; // first: entries arriving while the last flush runs are ignored, not buffered
      await flush();
      cancelTimer?.();
      cancelTimer = undefined;
    },
    forget(ref) {
      const key = attemptKey(ref);
      lineCount -= lines.get(key)?.length ?? 0;
      lines.delete(key);
      progress.delete(key);
      if (size() === 0) {
        cancelTimer?.();
        cancelTimer = undefined;
      }
    },
    get size() {
      return size();
    },
  };
}

function attemptKey(ref: AttemptRef): string {
  return `${ref.runId}#${ref.attempt}`;
}
