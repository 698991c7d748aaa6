import type { DurablyStore } from '@durably/core';
import { newRun } from '../conformance/conformance-fixtures.js';

/** Options of {@link runExactlyOnceChild}. */
export interface ExactlyOnceChildOptions {
  /** The store this process uses; closed before the function returns. */
  store: DurablyStore;
  /** Runs this process enqueues before it starts claiming. */
  runs: number;
  /** This process's worker name, unique among the processes (e.g. `proc-1`). */
  workerName: string;
  /**
   * Migrate at startup, as a hosted worker does, so the processes also race to migrate a fresh
   * database. Default `true`.
   */
  migrate?: boolean;
  /** Runs per `runInsertMany` call. Default 1 000. */
  insertBatchSize?: number;
  /** `limit` of each `runClaim`. Default 50. */
  claimBatchSize?: number;
  /**
   * Lease of each claim, in milliseconds. Default 300 000 (5 minutes): longer than the test, so a
   * run is never claimed a second time because its lease ran out.
   */
  leaseDurationMs?: number;
  /**
   * Receives the result as one JSON line, which {@link spawnExactlyOnceProcesses} parses. Default:
   * written to `process.stdout`.
   */
  write?: (line: string) => void;
}

/** What one process of the exactly-once test reports. */
export interface ExactlyOnceChildResult {
  /** Finishes the store reported as applied: runs this process claimed and completed. */
  applied: number;
  /** How long the claim-and-finish loop took, in milliseconds. */
  claimMs: number;
}

/** The job name of the runs the exactly-once test enqueues and claims. */
export const exactlyOnceJobName = 'mp.job';

/**
 * The body of one child process of the multi-process exactly-once test: migrates (optionally),
 * enqueues `runs` runs, then claims and finishes runs until none is left, closes the store and
 * writes `{ applied, claimMs }` as JSON. Spawn several with {@link spawnExactlyOnceProcesses}.
 *
 * @example
 * ```ts
 * // my-exactly-once-child.ts, spawned once per process
 * const [url, runs, workerName] = process.argv.slice(2);
 * await runExactlyOnceChild({ store: createMyStore({ url }), runs: Number(runs), workerName });
 * ```
 */
export async function runExactlyOnceChild(options: ExactlyOnceChildOptions): Promise<ExactlyOnceChildResult> {
  const { store, workerName } = options;
  if (options.migrate ?? true) await store.migrate();
  await enqueueRuns(store, options.runs, options.insertBatchSize ?? 1_000);
  const started = Date.now();
  let applied = 0;
  for (;;) {
    const claimed = await store.runClaim({
      workerName,
      limit: options.claimBatchSize ?? 50,
      leaseDurationMs: options.leaseDurationMs ?? 300_000,
      jobNames: [exactlyOnceJobName],
    });
    if (claimed.length === 0) break;
    const results = await store.runFinishMany({
      finishes: claimed.map((c) => ({
        runId: c.run.runId,
        workerName,
        attempt: c.run.attempt,
        outcome: { type: 'succeeded' as const },
      })),
    });
    applied += results.filter((r) => r.applied).length;
  }
  const result = { applied, claimMs: Date.now() - started };
  await store.close();
  (options.write ?? ((line) => process.stdout.write(line)))(JSON.stringify(result));
  return result;
}

async function enqueueRuns(store: DurablyStore, count: number, batchSize: number): Promise<void> {
  const run = newRun({ jobName: exactlyOnceJobName, maxAttempts: 1 });
  for (let done = 0; done < count; done += batchSize) {
    await store.runInsertMany({ runs: Array.from({ length: Math.min(batchSize, count - done) }, () => run) });
  }
}
