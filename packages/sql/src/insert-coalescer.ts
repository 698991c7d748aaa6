import type { RunInsertRow } from './sql-context.js';

/** Rows per coalesced statement: large enough to amortise a commit, small enough to stay quick. */
const maxRowsPerFlush = 5_000;

interface PendingInsert {
  rows: readonly RunInsertRow[];
  resolve(): void;
  reject(error: unknown): void;
}

/**
 * Group commit for independent enqueues: concurrent `runInsertMany` calls without a caller
 * transaction or keys are written together, in one statement and one commit, while the previous
 * write is in flight. Every call still resolves only once its rows are durable, and a call's rows
 * are all-or-nothing (they share one statement). On PostgreSQL, 50 callers in flight then cost one
 * round trip and one WAL flush per batch instead of 50 each — the commit, not the insert, is what
 * limits one-by-one enqueue.
 */
export class InsertCoalescer {
  readonly #write: (rows: readonly RunInsertRow[]) => Promise<void>;
  readonly #isTransient: (error: unknown) => boolean;
  #pending: PendingInsert[] = [];
  #flushing = false;

  constructor(
    write: (rows: readonly RunInsertRow[]) => Promise<void>,
    isTransient: (error: unknown) => boolean,
  ) {
    this.#write = write;
    this.#isTransient = isTransient;
  }

  /** Resolves when `rows` are committed (together with whatever else was waiting). */
  insert(rows: readonly RunInsertRow[]): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.#pending.push({ rows, resolve, reject });
      if (this.#flushing) return;
      this.#flushing = true;
      // One macrotask turn lets callers that became ready in the same I/O phase join the batch.
      setImmediate(() => void this.#flush());
    });
  }

  async #flush(): Promise<void> {
    while (this.#pending.length > 0) {
      const batch = this.#takeBatch();
      try {
        await this.#write(batch.flatMap((pending) => pending.rows));
        for (const pending of batch) pending.resolve();
      } catch (error) {
        if (batch.length === 1 || this.#isTransient(error)) {
          for (const pending of batch) pending.reject(error);
        } else {
          // One caller's rows (say, a string the database refuses) must not fail the others.
          await this.#writeEach(batch);
        }
      }
    }
    this.#flushing = false;
  }

  async #writeEach(batch: readonly PendingInsert[]): Promise<void> {
    for (const pending of batch) {
      try {
        await this.#write(pending.rows);
        pending.resolve();
      } catch (error) {
        pending.reject(error);
      }
    }
  }

  #takeBatch(): PendingInsert[] {
    let rows = 0;
    let count = 0;
    while (
      count < this.#pending.length &&
      (count === 0 || rows + this.#pending[count]!.rows.length <= maxRowsPerFlush)
    ) {
      rows += this.#pending[count]!.rows.length;
      count += 1;
    }
    return this.#pending.splice(0, count);
  }
}
