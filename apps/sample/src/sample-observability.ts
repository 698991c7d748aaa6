import type { EventSink, Instrumentation } from '@durably/core';
import { createOtelInstrumentation } from '@durably/otel';
import { BasicTracerProvider, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import type { Logger } from 'pino';
import { createSpanLogExporter } from './span-log-exporter.js';

/** The observability parts of `createDurably`'s options the sample turns on from its environment. */
export interface SampleObservability {
  instrumentation?: Instrumentation;
  eventSinks: EventSink[];
  logEvents: boolean;
}

/**
 * One variable each:
 * - `SAMPLE_OTEL=1`: `@durably/otel` traces — a `send <job>` span per enqueue and a linked
 *   `process <job>` span per attempt — written to the log by a span exporter (no collector needed);
 *   metrics go to the global meter provider (a no-op until an SDK registers one).
 * - `SAMPLE_LOG_EVENTS=1`: every lifecycle event as a structured log line (`logEvents: true`, the
 *   logging sink of `@durably/eventing`).
 * Both off by default.
 */
export function sampleObservability(env: NodeJS.ProcessEnv, logger: Logger): SampleObservability {
  const observability: SampleObservability = { eventSinks: [], logEvents: isOn(env.SAMPLE_LOG_EVENTS) };
  if (isOn(env.SAMPLE_OTEL)) {
    const tracerProvider = new BasicTracerProvider({
      spanProcessors: [new SimpleSpanProcessor(createSpanLogExporter(logger.child({ otel: true })))],
    });
    const otel = createOtelInstrumentation({ tracerProvider });
    observability.instrumentation = otel;
    observability.eventSinks.push(otel.events);
  }
  return observability;
}

function isOn(value: string | undefined): boolean {
  return value !== undefined && value !== '' && value !== '0' && value.toLowerCase() !== 'false';
}
