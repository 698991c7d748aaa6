export { createEventBus, type EventBus, type EventBusOptions, type EventBusStats } from './event-bus.js';
export {
  createLoggingSink,
  type EventLogger,
  type EventLogLevel,
  type LoggingSinkOptions,
} from './logging-sink.js';
export {
  createHttpIngestionSink,
  type HttpIngestionSink,
  type HttpIngestionSinkDependencies,
  type HttpIngestionSinkStats,
} from './http-ingestion-sink.js';
export type { HttpIngestionSinkOptions } from './ingestion-settings.js';
export { createEventSinks, type CreateEventSinksInput, type EventSinks } from './create-event-sinks.js';
export { describeRunError, type ErrorDetail, type ErrorDetailOptions } from './describe-run-error.js';
export { collectRuntimeInfo, type RuntimeInfo } from './runtime-info.js';
export { silentEventingLogger, type EventingLogger } from './eventing-logger.js';
export { BoundedQueue } from './bounded-queue.js';
