import type { TextMapPropagator, Tracer } from '@opentelemetry/api';
import type { DurablyMetrics } from './durably-metrics.js';

/** How a consumer span relates to the producer span of its run. */
export type LinkMode = 'link' | 'child';

/** What the hooks share. */
export interface OtelRuntime {
  tracer: Tracer;
  metrics: DurablyMetrics;
  propagator: TextMapPropagator;
  linkMode: LinkMode;
  /** A monotonic clock in ms for durations. */
  nowMs(): number;
}
