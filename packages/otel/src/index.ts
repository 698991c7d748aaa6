export {
  createOtelInstrumentation,
  instrumentationScope,
  type OtelInstrumentation,
  type OtelInstrumentationOptions,
} from './otel-instrumentation.js';
export { registerStoreGauges, type StoreGaugesOptions } from './register-store-gauges.js';
export { metricNames, durationBucketsSeconds } from './durably-metrics.js';
export { attributeNames, messagingSystem } from './attribute-names.js';
export { w3cTraceContextPropagator } from './w3c-trace-context.js';
export type { LinkMode } from './otel-runtime.js';
export type { RecordedOutcome } from './attempt-outcome.js';
