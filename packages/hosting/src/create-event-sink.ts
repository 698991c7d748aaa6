import type { Clock, EventSink, ResolvedOptions } from '@durably/core';
import { createEventSinks } from '@durably/eventing';
import type { WorkerLogger } from '@durably/worker';

/**
 * The sink the worker emits into. Without eventing options and without `logEvents`, it is the
 * user's `events` as given (or none: events cost nothing). Otherwise an event bus that fans out to
 * the HTTP ingestion sink (when `eventing.tenantId`/`clientSecret` are set, as in the reference),
 * the pino logging sink (when `logEvents`), and the user's own sink; the worker's `stop()` flushes it.
 */
export function createEventSink(input: {
  options: ResolvedOptions;
  logger: WorkerLogger;
  clock: Clock;
  events: EventSink | undefined;
  logEvents: boolean;
}): EventSink | undefined {
  const { eventing } = input.options;
  const ingestion = eventing.tenantId !== undefined || eventing.clientSecret !== undefined;
  if (!ingestion && !input.logEvents) return input.events;
  const { bus } = createEventSinks({
    options: input.options,
    diagnosticsLogger: input.logger,
    clock: input.clock,
    ...(input.logEvents ? { logger: input.logger } : {}),
  });
  if (input.events) bus.subscribe(input.events);
  return bus;
}
