import type { DurablyStore, RunStatus } from '@durably/core';

/** Most finished runs one throughput request reads (they are read page by page). */
export const throughputScanBudget = 20_000;
const pageSize = 1_000;

export interface ThroughputBucket {
  /** Start of the hour (UTC). */
  hour: Date;
  succeeded: number;
  failed: number;
  cancelled: number;
  /** `failed / (succeeded + failed)`, `null` when neither happened. */
  failureRate: number | null;
}

export interface Throughput {
  hours: number;
  buckets: ThroughputBucket[];
  /** True when more runs existed than `throughputScanBudget`: older buckets are then incomplete. */
  truncated: boolean;
}

/**
 * Finished runs per hour over the last `hours`, by finish time. The store contract has no
 * aggregate over time, so this reads terminal runs created in the window, newest first, through
 * `runList` (a run created before the window but finished inside it is not counted), reading at
 * most `throughputScanBudget` runs. Good enough for a dashboard chart; not an accounting tool.
 */
export async function computeThroughput(store: DurablyStore, hours: number): Promise<Throughput> {
  const now = await store.clockNow();
  const firstHour = Math.floor(now.getTime() / 3_600_000) - hours + 1;
  const buckets: ThroughputBucket[] = Array.from({ length: hours }, (_, index) => ({
    hour: new Date((firstHour + index) * 3_600_000),
    succeeded: 0,
    failed: 0,
    cancelled: 0,
    failureRate: null,
  }));
  const statuses: RunStatus[] = ['succeeded', 'failed', 'cancelled'];
  let cursor: string | undefined;
  let scanned = 0;
  let truncated: boolean;
  do {
    const page = await store.runList({ statuses, createdAfter: new Date(firstHour * 3_600_000), limit: pageSize, ...(cursor ? { cursor } : {}) });
    for (const run of page.runs) {
      const index = run.finishedAt ? Math.floor(run.finishedAt.getTime() / 3_600_000) - firstHour : -1;
      const bucket = buckets[index];
      if (bucket !== undefined) bucket[run.status as 'succeeded' | 'failed' | 'cancelled'] += 1;
    }
    scanned += page.runs.length;
    cursor = page.nextCursor ?? undefined;
    truncated = cursor !== undefined && scanned >= throughputScanBudget;
  } while (cursor !== undefined && !truncated);
  for (const bucket of buckets) {
    const ended = bucket.succeeded + bucket.failed;
    bucket.failureRate = ended === 0 ? null : bucket.failed / ended;
  }
  return { hours, buckets, truncated };
}
