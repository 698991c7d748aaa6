import type { Clock, EventSink, ResolvedOptions } from '@durably/core';
import { createEventSinks } from '@durably/eventing';
import type { WorkerLogger } from '@durably/worker';

/**
 * The sink the worker emits into. With one user sink and neither eventing options nor `logEvents`,
 * it is that sink as given (with none: no sink, events cost nothing). Otherwise an event bus that
 * fans out to the HTTP ingestion sink (when `eventing.tenantId`/`clientSecret` are set, as in the
 * reference), the pino logging sink (when `logEvents`) and the user's sinks; the worker's `stop()`
 * flushes it.
 */
export function createEventSink(input: {
  options: ResolvedOptions;
  logger: WorkerLogger;
  clock: Clock;
  /** The user's sinks (`events` and `eventSinks` together). */
  sinks: readonly EventSink[];
  logEvents: boolean;
}): EventSink | undefined {
  const { eventing } = input.options;
  const ingestion = eventing.tenantId !== undefined || eventing.clientSecret !== undefined;
  if (!ingestion && !input.logEvents && input.sinks.length <= 1) return input.sinks[0];
  const { bus } = createEventSinks({
    options: input.options,
    diagnosticsLogger: input.logger,
    clock: input.clock,
    ...(input.logEvents ? { logger: input.logger } : {}),
  });
  for (const sink of input.sinks) bus.subscribe(sink);
  return bus;
}
