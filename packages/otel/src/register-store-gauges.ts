import type { DurablyStore, RunStatus } from '@durably/core';
import { ValueType, type BatchObservableResult, type Meter } from '@opentelemetry/api';
import { attributeNames as names, messagingSystem } from './attribute-names.js';
import { metricNames } from './durably-metrics.js';

/** What {@link registerStoreGauges} takes. */
export interface StoreGaugesOptions {
  meter: Meter;
  /** `runCountByStatus`, `runList` and `clockNow` are read. */
  store: Pick<DurablyStore, 'runCountByStatus' | 'runList' | 'clockNow'>;
  /**
   * Least time between two rounds of store queries, in ms: collections in between report the last
   * values. Default 30 000. A round is three cheap queries (a grouped count, a one-row indexed
   * read, the database clock), made only when the metrics are collected.
   */
  intervalMs?: number;
}

interface Snapshot {
  counts: Record<RunStatus, number>;
  oldestDueAgeSeconds: number;
}

/**
 * Registers observable gauges that read the store: `durably.runs` (runs per `durably.run.status`)
 * and `durably.runs.oldest_due_age` (seconds since the oldest `pending` or `waiting_retry` run became
 * due; 0 when none is due). Register it in one process per database (every worker would report the
 * same numbers). Returns a function that unregisters the gauges.
 *
 * @example
 * const unregister = registerStoreGauges({ meter: metrics.getMeter('durably'), store });
 */
export function registerStoreGauges(options: StoreGaugesOptions): () => void {
  const intervalMs = options.intervalMs ?? 30_000;
  const runs = options.meter.createObservableGauge(metricNames.runs, {
    description: 'Runs per status.',
    unit: '{run}',
    valueType: ValueType.INT,
  });
  const oldest = options.meter.createObservableGauge(metricNames.oldestDueAge, {
    description: 'Age of the oldest due run that has not started.',
    unit: 's',
    valueType: ValueType.DOUBLE,
  });
  let cached: { at: number; snapshot: Promise<Snapshot> } | undefined;
  const current = () => {
    const now = Date.now();
    if (cached === undefined || now - cached.at >= intervalMs) {
      const snapshot = readSnapshot(options.store);
      cached = { at: now, snapshot };
      // A failed read is retried at the next collection instead of being cached for a whole interval.
      snapshot.catch(() => {
        if (cached?.snapshot === snapshot) cached = undefined;
      });
    }
    return cached.snapshot;
  };
  const callback = async (result: BatchObservableResult) => {
    const snapshot = await current();
    for (const [status, count] of Object.entries(snapshot.counts)) {
      result.observe(runs, count, { [names.messagingSystem]: messagingSystem, [names.status]: status });
    }
    result.observe(oldest, snapshot.oldestDueAgeSeconds, { [names.messagingSystem]: messagingSystem });
  };
  options.meter.addBatchObservableCallback(callback, [runs, oldest]);
  return () => options.meter.removeBatchObservableCallback(callback, [runs, oldest]);
}

async function readSnapshot(store: StoreGaugesOptions['store']): Promise<Snapshot> {
  const [counts, page, now] = await Promise.all([
    store.runCountByStatus({}),
    store.runList({ statuses: ['pending', 'waiting_retry'], order: 'due', limit: 1 }),
    store.clockNow(),
  ]);
  const first = page.runs[0];
  const ageMs = first === undefined ? 0 : Math.max(0, now.getTime() - first.runAt.getTime());
  return { counts, oldestDueAgeSeconds: ageMs / 1000 };
}
