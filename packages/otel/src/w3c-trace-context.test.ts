import { createTraceState, ROOT_CONTEXT, trace, TraceFlags } from '@opentelemetry/api';
import { describe, expect, it } from 'vitest';
import { w3cTraceContextPropagator as propagator } from './w3c-trace-context.js';

const getter = {
  get: (carrier: unknown, key: string) => (carrier as Record<string, string>)[key],
  keys: (carrier: unknown) => Object.keys(carrier as object),
};
const setter = {
  set: (carrier: unknown, key: string, value: string) =>
    void ((carrier as Record<string, string>)[key] = value),
};
const traceId = '0af7651916cd43dd8448eb211c80319c';
const spanId = 'b7ad6b7169203331';

describe('w3cTraceContextPropagator', () => {
  it('round-trips traceparent and tracestate', () => {
    const spanContext = {
      traceId,
      spanId,
      traceFlags: TraceFlags.SAMPLED,
      traceState: createTraceState('vendor=abc'),
    };
    const carrier: Record<string, string> = {};
    propagator.inject(trace.setSpanContext(ROOT_CONTEXT, spanContext), carrier, setter);
    expect(carrier).toEqual({ traceparent: `00-${traceId}-${spanId}-01`, tracestate: 'vendor=abc' });
    const extracted = trace.getSpanContext(propagator.extract(ROOT_CONTEXT, carrier, getter));
    expect(extracted).toMatchObject({ traceId, spanId, traceFlags: 1, isRemote: true });
    expect(extracted?.traceState?.get('vendor')).toBe('abc');
  });

  it.each([
    ['garbage', 'not-a-traceparent'],
    ['version ff', `ff-${traceId}-${spanId}-01`],
    ['all-zero trace id', `00-${'0'.repeat(32)}-${spanId}-01`],
    ['extra fields on version 00', `00-${traceId}-${spanId}-01-extra`],
    ['upper case', `00-${traceId.toUpperCase()}-${spanId}-01`],
  ])('ignores an invalid traceparent (%s)', (_, traceparent) => {
    const extracted = propagator.extract(ROOT_CONTEXT, { traceparent }, getter);
    expect(trace.getSpanContext(extracted)).toBeUndefined();
  });

  it('writes nothing for a context without a valid span', () => {
    const carrier: Record<string, string> = {};
    propagator.inject(ROOT_CONTEXT, carrier, setter);
    expect(carrier).toEqual({});
  });
});
