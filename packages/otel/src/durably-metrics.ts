import { ValueType, type Counter, type Histogram, type Meter, type UpDownCounter } from '@opentelemetry/api';

/** Metric names, for dashboards and alerts. Durations are in seconds, as the conventions ask. */
export const metricNames = {
  /** Counter: runs enqueued (`messaging.client.sent.messages`); `error.type` set when the insert failed. */
  sent: 'messaging.client.sent.messages',
  /** Histogram (s): how long an enqueue call took (`messaging.client.operation.duration`). */
  sendDuration: 'messaging.client.operation.duration',
  /** Counter: attempts started (`messaging.client.consumed.messages`). */
  consumed: 'messaging.client.consumed.messages',
  /** Histogram (s): attempt duration, by job, outcome and `error.type` (`messaging.process.duration`). */
  processDuration: 'messaging.process.duration',
  /** Counter: attempts ended, by job, queue, outcome and `error.type`. */
  attempts: 'durably.attempts',
  /** UpDownCounter: attempts executing now, by job and queue. */
  activeAttempts: 'durably.attempts.active',
  /** Histogram (s): first attempt's start minus the time the run was requested for (enqueue, delay or slot). */
  queueTime: 'durably.run.queue_time',
  /** Histogram (s): for cron runs, first attempt's start minus the slot time. */
  scheduleLag: 'durably.schedule.lag',
  /** Counter: leases lost (`expired`: the worker stalled or died; `fenced`: another worker owns the run). */
  leasesLost: 'durably.leases.lost',
  /** Counter: recurring slots recorded as `skipped` because a previous run was still active. */
  slotsSkipped: 'durably.schedule.slots_skipped',
  /** Counter: retries scheduled after a failed attempt, by job and `error.type`. */
  retriesScheduled: 'durably.retries.scheduled',
  /** ObservableGauge: runs per `durably.run.status` (from `registerStoreGauges`). */
  runs: 'durably.runs',
  /** ObservableGauge (s): age of the oldest due run that has not started (from `registerStoreGauges`). */
  oldestDueAge: 'durably.runs.oldest_due_age',
} as const;

/** The instruments Durably records into. */
export interface DurablyMetrics {
  sent: Counter;
  sendDuration: Histogram;
  consumed: Counter;
  processDuration: Histogram;
  attempts: Counter;
  activeAttempts: UpDownCounter;
  queueTime: Histogram;
  scheduleLag: Histogram;
  leasesLost: Counter;
  slotsSkipped: Counter;
  retriesScheduled: Counter;
}

/**
 * Bucket boundaries for durations in seconds: the messaging conventions' advice (5 ms … 10 s)
 * extended to an hour, since jobs and queue waits are often minutes long. The SDK's default
 * boundaries (0 … 10 000) suit milliseconds and would put every job in the first few buckets.
 */
export const durationBucketsSeconds = [
  0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10, 30, 60, 300, 900, 3600,
];

/** Creates every instrument on `meter`. */
export function createDurablyMetrics(meter: Meter): DurablyMetrics {
  const seconds = (name: string, description: string) =>
    meter.createHistogram(name, {
      description,
      unit: 's',
      valueType: ValueType.DOUBLE,
      advice: { explicitBucketBoundaries: durationBucketsSeconds },
    });
  const count = (name: string, description: string, unit: string) =>
    meter.createCounter(name, { description, unit, valueType: ValueType.INT });
  return {
    sent: count(metricNames.sent, 'Runs enqueued.', '{message}'),
    sendDuration: seconds(metricNames.sendDuration, 'Duration of enqueue calls.'),
    consumed: count(metricNames.consumed, 'Attempts started.', '{message}'),
    processDuration: seconds(metricNames.processDuration, 'Duration of attempts.'),
    attempts: count(metricNames.attempts, 'Attempts ended, by outcome.', '{attempt}'),
    activeAttempts: meter.createUpDownCounter(metricNames.activeAttempts, {
      description: 'Attempts executing now.',
      unit: '{attempt}',
      valueType: ValueType.INT,
    }),
    queueTime: seconds(metricNames.queueTime, 'Time from the requested time of a run to its first start.'),
    scheduleLag: seconds(metricNames.scheduleLag, 'Time from a recurring slot to the start of its run.'),
    leasesLost: count(metricNames.leasesLost, 'Leases lost by attempts.', '{lease}'),
    slotsSkipped: count(metricNames.slotsSkipped, 'Recurring slots skipped.', '{slot}'),
    retriesScheduled: count(metricNames.retriesScheduled, 'Retries scheduled.', '{retry}'),
  };
}
