import type { CatchUpPolicy, ResolvedOptions } from '@durably/core';

/** The options the worker reads, in the units it computes with (milliseconds). */
export interface WorkerSettings {
  readonly workerName: string;
  /** `undefined`: every queue. */
  readonly queues: readonly string[] | undefined;
  readonly pollIntervalMs: number;
  /** 0 when poll jitter is disabled. */
  readonly pollJitterRatio: number;
  readonly batchSize: number;
  readonly maxConcurrentRuns: number;
  /** Runs claimed beyond free slots, waiting for one (see `claimCapacity`). */
  readonly prefetchRuns: number;
  /**
   * Most attempts whose handler settled but whose ending is not written yet, beyond
   * `maxConcurrentRuns` (see `claimCapacity`): `max(finishBatchSize, 2 × maxConcurrentRuns)`, about one
   * finish batch, so a slow store stops claims rather than piling up unwritten endings.
   */
  readonly maxPendingFinishes: number;
  readonly leaseDurationMs: number;
  /** Half the lease, at least 250 ms: a lease survives one missed heartbeat. */
  readonly heartbeatIntervalMs: number;
  readonly catchUpPolicy: CatchUpPolicy;
  readonly retentionEnabled: boolean;
  /** `null`: the store's `capabilities.defaultRunRetentionSeconds`. */
  readonly runRetentionSeconds: number | null;
  readonly sweepIntervalMs: number;
  readonly deleteBatchSize: number;
  readonly logFlushIntervalMs: number;
  readonly logFlushBatchSize: number;
  readonly maxLogLinesPerRun: number;
  readonly shutdownGraceMs: number;
  readonly payloadMaxBytes: number;
  /** The options `computeRetryDelayMs` reads. */
  readonly retry: Pick<
    ResolvedOptions,
    'retryDelayMs' | 'retryMaxDelayMs' | 'retryJitterEnabled' | 'retryJitterRatio'
  >;
}

/**
 * Most endings per `runFinishMany` call. Measured on PostgreSQL, 400 per call drained ~25 % faster
 * than 100 (the commit, not the rows, is what a write costs); the SQL stores chunk by their
 * parameter limits.
 */
export const finishBatchSize = 400;

/** Minimum heartbeat interval in ms (the reference's rule: half the lease, minimum 250 ms). */
export const minHeartbeatIntervalMs = 250;

/** Derives the worker's settings from resolved options. */
export function workerSettingsFrom(options: ResolvedOptions): WorkerSettings {
  const leaseDurationMs = options.leaseDurationSeconds * 1000;
  return {
    workerName: options.workerName,
    queues: options.queues,
    pollIntervalMs: options.pollIntervalSeconds * 1000,
    pollJitterRatio: options.pollJitterEnabled ? options.pollJitterRatio : 0,
    batchSize: options.batchSize,
    maxConcurrentRuns: options.maxConcurrentRuns,
    prefetchRuns: options.prefetchRuns,
    maxPendingFinishes: Math.max(finishBatchSize, 2 * options.maxConcurrentRuns),
    leaseDurationMs,
    heartbeatIntervalMs: Math.max(minHeartbeatIntervalMs, Math.floor(leaseDurationMs / 2)),
    catchUpPolicy: options.recurring.catchUpPolicy,
    retentionEnabled: options.retention.enabled,
    runRetentionSeconds: options.retention.runRetentionSeconds,
    sweepIntervalMs: options.retention.sweepIntervalSeconds * 1000,
    deleteBatchSize: options.retention.deleteBatchSize,
    logFlushIntervalMs: options.logs.flushIntervalSeconds * 1000,
    logFlushBatchSize: options.logs.flushBatchSize,
    maxLogLinesPerRun: options.logs.maxLinesPerRun,
    shutdownGraceMs: options.shutdownGraceSeconds * 1000,
    payloadMaxBytes: options.payloadMaxBytes,
    retry: {
      retryDelayMs: options.retryDelayMs,
      retryMaxDelayMs: options.retryMaxDelayMs,
      retryJitterEnabled: options.retryJitterEnabled,
      retryJitterRatio: options.retryJitterRatio,
    },
  };
}
