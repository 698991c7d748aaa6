import type { DrainResult, Worker } from '@durably/worker';

/** A worker, or anything that holds one (a `Durably` from `createDurably`). */
export type Drainable = Pick<Worker, 'drain'> | { readonly worker: Pick<Worker, 'drain'> | undefined };

/**
 * Runs every job that is due now until nothing is, waiting for each attempt and its recorded ending
 * — the deterministic replacement for sleeping in tests. Runs due later (retry delays, snoozes,
 * cron slots) need the fake clock moved forward and another `drain`.
 *
 * @throws Error when given a `producer`-mode instance (it has no worker), or the first store error.
 * @example
 * const durably = await createDurably({ store, jobs, clock, startWorker: false, handleSignals: false, env: {} });
 * await durably.client.enqueue(sendWelcome, { userId: 'u1' });
 * await drain(durably);
 */
export async function drain(target: Drainable, options?: { maxIterations?: number }): Promise<DrainResult> {
  const worker = 'drain' in target ? target : target.worker;
  if (!worker) {
    throw new Error('drain() needs a worker: this Durably instance runs in producer mode (workerMode: "producer").');
  }
  return worker.drain(options);
}
