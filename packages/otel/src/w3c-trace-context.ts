import {
  createTraceState,
  isSpanContextValid,
  trace,
  type Context,
  type TextMapGetter,
  type TextMapPropagator,
  type TextMapSetter,
} from '@opentelemetry/api';

const traceparentKey = 'traceparent';
const tracestateKey = 'tracestate';
const traceparentPattern = /^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})(-.*)?$/;

/**
 * A W3C Trace Context propagator (`traceparent` / `tracestate`), so trace context reaches the
 * run's metadata even when the application registered no global propagator — with a bare
 * `BasicTracerProvider`, `propagation.inject` writes nothing. Pass `propagator: propagation` to
 * `createOtelInstrumentation` to use your globally configured propagators (baggage, B3, …) instead.
 */
export const w3cTraceContextPropagator: TextMapPropagator = {
  inject(context: Context, carrier: unknown, setter: TextMapSetter): void {
    const spanContext = trace.getSpanContext(context);
    if (spanContext === undefined || !isSpanContextValid(spanContext)) return;
    const flags = (spanContext.traceFlags & 0xff).toString(16).padStart(2, '0');
    setter.set(carrier, traceparentKey, `00-${spanContext.traceId}-${spanContext.spanId}-${flags}`);
    const state = spanContext.traceState?.serialize();
    if (state) setter.set(carrier, tracestateKey, state);
  },
  extract(context: Context, carrier: unknown, getter: TextMapGetter): Context {
    const header = single(getter.get(carrier, traceparentKey));
    const match = header === undefined ? null : traceparentPattern.exec(header.trim());
    if (match === null) return context;
    const [, version, traceId, spanId, flags, rest] = match;
    // Version ff is forbidden; version 00 has exactly four fields.
    if (version === 'ff' || (version === '00' && rest !== undefined)) return context;
    const state = single(getter.get(carrier, tracestateKey));
    const spanContext = {
      traceId: traceId!,
      spanId: spanId!,
      traceFlags: parseInt(flags!, 16) & 0x01,
      isRemote: true,
      ...(state ? { traceState: createTraceState(state) } : {}),
    };
    return isSpanContextValid(spanContext) ? trace.setSpanContext(context, spanContext) : context;
  },
  fields: () => [traceparentKey, tracestateKey],
};

function single(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
