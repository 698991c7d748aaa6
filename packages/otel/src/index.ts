export * from './attribute-names.js';
export * from './durably-metrics.js';
export * from './otel-instrumentation.js';
export * from './register-store-gauges.js';
export * from './w3c-trace-context.js';
export type { LinkMode } from './otel-runtime.js';
export type { RecordedOutcome } from './attempt-outcome.js';
