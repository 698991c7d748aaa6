import type { Clock, ResolvedOptions } from '@durably/core';
import { createEventBus, type EventBus } from './event-bus.js';
import type { EventingLogger } from './eventing-logger.js';
import { createHttpIngestionSink, type HttpIngestionSink } from './http-ingestion-sink.js';
import { createLoggingSink, type EventLogger } from './logging-sink.js';

/** What {@link createEventSinks} takes. */
export interface CreateEventSinksInput {
  /** Resolved options: `eventing.*` and `workerName` are read. */
  options: Pick<ResolvedOptions, 'eventing' | 'workerName'>;
  /**
   * Adds the pino logging sink writing to this logger. Default: no logging sink (the reference's
   * default sink is a no-op; logging is opted into).
   */
  logger?: EventLogger & EventingLogger;
  /** Where eventing reports its own trouble (drops, failing sinks). Default: `logger`, else silent. */
  diagnosticsLogger?: EventingLogger;
  clock?: Clock;
}

/** The bus to hand to the worker, and the ingestion sink when it is on (for its `stats()`). */
export interface EventSinks {
  bus: EventBus;
  ingestion: HttpIngestionSink | undefined;
}

/**
 * Builds the event sinks the options ask for, as the hosting layer needs them: a bus with the
 * logging sink (when a logger is given) and the HTTP ingestion sink (when `eventing.tenantId` and
 * `eventing.clientSecret` are set; `ConfigurationError` if the base URL is missing). Hand `bus` to
 * `createWorker({ events })` and call `bus.flush()` on shutdown (the worker's `stop()` does).
 *
 * @example
 * const { bus } = createEventSinks({ options, logger: pino() });
 * const worker = createWorker({ store, registry, options, events: bus });
 */
export function createEventSinks(input: CreateEventSinksInput): EventSinks {
  const diagnostics = input.diagnosticsLogger ?? input.logger;
  const bus = createEventBus({
    ...(diagnostics === undefined ? {} : { logger: diagnostics }),
    ...(input.clock === undefined ? {} : { clock: input.clock }),
  });
  if (input.logger !== undefined) bus.subscribe(createLoggingSink({ logger: input.logger }));
  const { eventing, workerName } = input.options;
  const wanted = eventing.tenantId !== undefined || eventing.clientSecret !== undefined;
  const ingestion = wanted
    ? createHttpIngestionSink(
        { ...eventing, workerName },
        {
          ...(diagnostics === undefined ? {} : { logger: diagnostics }),
          ...(input.clock === undefined ? {} : { clock: input.clock }),
        },
      )
    : undefined;
  if (ingestion !== undefined) bus.subscribe(ingestion);
  return { bus, ingestion };
}
