import type { EnqueueInfo, EnqueueSpan } from '@durably/core';
import { context, SpanKind, SpanStatusCode, trace, type Attributes, type Span } from '@opentelemetry/api';
import { attributeNames as names, messagingSystem } from './attribute-names.js';
import type { OtelRuntime } from './otel-runtime.js';

/**
 * The `enqueue` hook: starts a PRODUCER span `send <job>` as a child of the caller's active
 * context, and returns its trace context as run metadata (`traceparent`, `tracestate`), which the
 * client stores with every run of the call. `end` closes the span and records the sent counter and
 * the enqueue duration.
 */
export function traceEnqueue(rt: OtelRuntime, info: EnqueueInfo): EnqueueSpan {
  try {
    return startEnqueue(rt, info);
  } catch {
    // Telemetry must never cost an enqueue: without a span, the runs are still inserted.
    return { end() {} };
  }
}

function startEnqueue(rt: OtelRuntime, info: EnqueueInfo): EnqueueSpan {
  const attributes: Attributes = {
    [names.messagingSystem]: messagingSystem,
    [names.operationType]: 'send',
    [names.operationName]: 'send',
    [names.destinationName]: info.queue,
    [names.jobName]: info.jobName,
    [names.origin]: info.origin,
  };
  if (info.count !== 1) attributes[names.batchMessageCount] = info.count;
  const span = rt.tracer.startSpan(
    `send ${info.jobName}`,
    { kind: SpanKind.PRODUCER, attributes },
    context.active(),
  );
  const metadata: Record<string, string> = {};
  rt.propagator.inject(trace.setSpan(context.active(), span), metadata, {
    set: (carrier, key, value) => void ((carrier as Record<string, string>)[key] = value),
  });
  const startedMs = rt.nowMs();
  let ended = false;
  return {
    metadata,
    end(result) {
      if (ended) return;
      ended = true;
      try {
        endEnqueue(rt, info, span, result, startedMs);
      } catch {
        // As above: a failing exporter never surfaces to the caller.
      }
    },
  };
}

function endEnqueue(
  rt: OtelRuntime,
  info: EnqueueInfo,
  span: Span,
  result: Parameters<EnqueueSpan['end']>[0],
  startedMs: number,
): void {
  const metricAttributes: Attributes = {
    [names.messagingSystem]: messagingSystem,
    [names.operationName]: 'send',
    [names.destinationName]: info.queue,
    [names.jobName]: info.jobName,
  };
  if ('error' in result) {
    const errorType = errorTypeOf(result.error);
    metricAttributes[names.errorType] = errorType;
    span.setAttribute(names.errorType, errorType);
    if (result.error instanceof Error) span.recordException(result.error);
    span.setStatus({ code: SpanStatusCode.ERROR, message: messageOf(result.error) });
  } else if (result.runIds.length === 1) {
    span.setAttribute(names.messageId, result.runIds[0]!);
  }
  span.end();
  rt.metrics.sent.add(info.count, metricAttributes);
  rt.metrics.sendDuration.record((rt.nowMs() - startedMs) / 1000, metricAttributes);
}

function errorTypeOf(error: unknown): string {
  return error instanceof Error && error.name ? error.name : 'Error';
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
