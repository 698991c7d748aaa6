import type { EventSink, Instrumentation } from '@durably/core';
import {
  metrics,
  trace,
  type MeterProvider,
  type TextMapPropagator,
  type TracerProvider,
} from '@opentelemetry/api';
import { createDurablyMetrics } from './durably-metrics.js';
import { createMetricsEventSink } from './metrics-event-sink.js';
import type { LinkMode, OtelRuntime } from './otel-runtime.js';
import { traceAttempt } from './trace-attempt.js';
import { traceEnqueue } from './trace-enqueue.js';
import { w3cTraceContextPropagator } from './w3c-trace-context.js';

/** Instrumentation scope name of the tracer and meter. */
export const instrumentationScope = '@durably/otel';

/** What {@link createOtelInstrumentation} takes. Every field is optional. */
export interface OtelInstrumentationOptions {
  /** Where spans go. Default: the global provider (`trace.getTracerProvider()`), set by your SDK. */
  tracerProvider?: TracerProvider;
  /** Where metrics go. Default: the global provider (`metrics.getMeterProvider()`). */
  meterProvider?: MeterProvider;
  /**
   * How an attempt's `process` span relates to its run's `send` span. `link` (default): a new trace
   * per attempt, linked to the producer span. `child`: the attempt joins the producer's trace.
   */
  linkMode?: LinkMode;
  /**
   * Writes and reads trace context in run metadata. Default: W3C Trace Context (`traceparent`,
   * `tracestate`), which works without a globally registered propagator. Pass `propagation` from
   * `@opentelemetry/api` to use the global propagators instead.
   */
  propagator?: TextMapPropagator;
}

/** Core's {@link Instrumentation} hooks plus an event sink for what only events report. */
export interface OtelInstrumentation extends Instrumentation {
  enqueue: NonNullable<Instrumentation['enqueue']>;
  attempt: NonNullable<Instrumentation['attempt']>;
  /** Records lease losses, skipped slots and scheduled retries; subscribe it to the event bus. */
  readonly events: EventSink;
}

/**
 * Creates the OpenTelemetry integration: a PRODUCER span `send <job>` per enqueue call whose trace
 * context is stored in the runs' metadata, a CONSUMER span `process <job>` per attempt (linked to
 * the producer span, or its child), attributes after the messaging semantic conventions
 * (`messaging.system` = `durably`, `messaging.destination.name` = queue, `messaging.message.id` =
 * run id) plus `durably.job.name`, `durably.run.attempt`, `durably.run.origin`,
 * `durably.run.outcome` and `error.type`; and the metrics listed in `metricNames`. Only
 * `@opentelemetry/api` is used: your SDK, processors and exporters do the rest.
 *
 * Give `instrumentation` to the client and worker (through hosting), and subscribe `events` to the
 * event bus. For the store gauges, call `registerStoreGauges` once per database.
 *
 * @example
 * const otel = createOtelInstrumentation();             // uses the global providers
 * const durably = await createDurably({ store, jobs, instrumentation: otel, eventSinks: [otel.events] });
 */
export function createOtelInstrumentation(options: OtelInstrumentationOptions = {}): OtelInstrumentation {
  const tracerProvider = options.tracerProvider ?? trace.getTracerProvider();
  const meterProvider = options.meterProvider ?? metrics.getMeterProvider();
  const rt: OtelRuntime = {
    tracer: tracerProvider.getTracer(instrumentationScope),
    metrics: createDurablyMetrics(meterProvider.getMeter(instrumentationScope)),
    propagator: options.propagator ?? w3cTraceContextPropagator,
    linkMode: options.linkMode ?? 'link',
    nowMs: () => performance.now(),
  };
  return {
    enqueue: (info) => traceEnqueue(rt, info),
    attempt: (info, execute) => traceAttempt(rt, info, execute),
    events: createMetricsEventSink(rt.metrics),
  };
}
