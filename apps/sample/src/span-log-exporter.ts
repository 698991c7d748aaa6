import { SpanKind } from '@opentelemetry/api';
import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace-base';
import type { Logger } from 'pino';

/**
 * An OpenTelemetry span exporter that writes each finished span as one log line (`span send
 * reports.generate kind=PRODUCER traceId=… links=…`), so `SAMPLE_OTEL=1` shows the producer and
 * consumer spans in the sample's own output, without a collector. A real app exports to its
 * backend (OTLP) instead.
 */
export function createSpanLogExporter(logger: Logger): SpanExporter {
  return {
    export(spans, done) {
      for (const span of spans) logger.info(spanFields(span), `span ${span.name}`);
      done({ code: 0 });
    },
    async shutdown() {},
  };
}

function spanFields(span: ReadableSpan): Record<string, unknown> {
  const [seconds, nanos] = span.duration;
  return {
    kind: SpanKind[span.kind],
    traceId: span.spanContext().traceId,
    spanId: span.spanContext().spanId,
    ...(span.parentSpanContext ? { parentSpanId: span.parentSpanContext.spanId } : {}),
    ...(span.links.length > 0 ? { links: span.links.map((link) => link.context.spanId) } : {}),
    durationMs: Math.round((seconds * 1e3 + nanos / 1e6) * 10) / 10,
    attributes: span.attributes,
  };
}
