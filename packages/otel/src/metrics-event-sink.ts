import type { EventSink } from '@durably/core';
import type { Attributes } from '@opentelemetry/api';
import { attributeNames as names, messagingSystem } from './attribute-names.js';
import type { DurablyMetrics } from './durably-metrics.js';

/**
 * An event sink that records what only events report: leases lost (also those of dead workers,
 * which the reaper reports), recurring slots skipped, and retries scheduled. Subscribe it to the
 * event bus next to the other sinks.
 */
export function createMetricsEventSink(metrics: DurablyMetrics): EventSink {
  return {
    emit(event) {
      if (event.type === 'worker_heartbeat') return;
      const base: Attributes = {
        [names.messagingSystem]: messagingSystem,
        [names.destinationName]: event.queue,
        [names.jobName]: event.jobName,
      };
      switch (event.type) {
        case 'lease_lost':
          metrics.leasesLost.add(1, { ...base, [names.leaseLossReason]: event.reason });
          break;
        case 'job_skipped':
          metrics.slotsSkipped.add(1, base);
          break;
        case 'retry_scheduled':
          metrics.retriesScheduled.add(1, { ...base, [names.errorType]: event.error.name || 'Error' });
          break;
        default:
          break;
      }
    },
  };
}
