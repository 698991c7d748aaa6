import type { WorkerRuntime } from './worker-runtime.js';

/** Most batches per sweep: a huge backlog is deleted over several sweeps instead of one long burst. */
const maxBatchesPerSweep = 100;

/**
 * Deletes terminal runs older than the retention window (`retention.runRetentionSeconds`, or the
 * store's `capabilities.defaultRunRetentionSeconds` when unset) in batches of `deleteBatchSize`,
 * one statement per batch so no single transaction grows with the backlog. Returns the count.
 */
export async function sweepFinishedRuns(rt: WorkerRuntime): Promise<number> {
  if (!rt.settings.retentionEnabled) return 0;
  const retentionSeconds = rt.settings.runRetentionSeconds ?? rt.store.capabilities.defaultRunRetentionSeconds;
  const limit = rt.settings.deleteBatchSize;
  let total = 0;
  for (let batch = 0; batch < maxBatchesPerSweep; batch += 1) {
    const deleted = await rt.store.runDeleteFinished({ olderThanMs: retentionSeconds * 1000, limit });
    total += deleted;
    if (deleted < limit) break;
  }
  if (total > 0) rt.logger.info({ deleted: total, retentionSeconds }, 'retention sweep deleted finished runs');
  return total;
}
