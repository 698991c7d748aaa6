import type { DrainResult } from './worker.js';
import type { WorkerIteration } from './worker-iteration.js';
import type { WorkerRuntime } from './worker-runtime.js';

/**
 * `worker.drain()`: iterate, wait for every attempt and its recorded ending, flush progress and
 * logs, and repeat until an iteration neither claims nor materialises anything. Throws the first
 * store error, and gives up after `maxIterations` (default 10 000) so a job that keeps re-enqueueing
 * itself fails the test instead of hanging it.
 */
export async function drainWorker(
  rt: WorkerRuntime,
  iteration: WorkerIteration,
  assertUsable: () => void,
  options: { maxIterations?: number } = {},
): Promise<DrainResult> {
  const maxIterations = options.maxIterations ?? 10_000;
  let runs = 0;
  for (let count = 1; count <= maxIterations; count += 1) {
    assertUsable();
    const result = await iteration.run();
    if (result.errors.length > 0) throw result.errors[0];
    runs += result.claimed;
    await rt.active.whenIdle();
    await rt.finisher.flush();
    await rt.journal.flush();
    if (result.claimed === 0 && result.materialized === 0) return { runs, iterations: count };
  }
  throw new Error(
    `drain() gave up after ${maxIterations} iterations: runs keep becoming due (a job that re-enqueues itself with no delay?).`,
  );
}
