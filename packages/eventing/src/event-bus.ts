import { systemClock, type Clock, type DurablyEvent, type EventSink } from '@durably/core';
import { BoundedQueue } from './bounded-queue.js';
import { silentEventingLogger, type EventingLogger } from './eventing-logger.js';
import { createRateLimitedWarning } from './rate-limited-warning.js';

/** What {@link createEventBus} takes. Every field is optional. */
export interface EventBusOptions {
  /** Sinks subscribed from the start; more can be added with `subscribe`. Default: none. */
  sinks?: readonly EventSink[];
  /** Most events waiting for delivery; when full the oldest are dropped and counted. Default 10 000. */
  capacity?: number;
  /** Where drops and sink errors are reported (a pino logger fits). Default: silent. */
  logger?: EventingLogger;
  /** Least time between two log lines about drops or sink errors, in ms. Default 60 000. */
  warningIntervalMs?: number;
  /** Source of "now" for the log rate limit. Default: the system clock. */
  clock?: Clock;
}

/** Counters of an {@link EventBus} since it was created. */
export interface EventBusStats {
  /** Events waiting for delivery now. */
  buffered: number;
  /** Events handed to the sinks. */
  delivered: number;
  /** Events dropped because the buffer was full (the oldest go first). */
  dropped: number;
  /** Calls to a sink's `emit` or `flush` that threw or rejected. */
  sinkErrors: number;
}

/** A fan-out {@link EventSink}: the runtime emits into it, every subscribed sink receives. */
export interface EventBus extends EventSink {
  /** Adds a sink; returns a function that removes it again. */
  subscribe(sink: EventSink): () => void;
  stats(): EventBusStats;
  /** Delivers everything buffered now, then flushes every sink. Never rejects. */
  flush(): Promise<void>;
}

/** Events delivered per macrotask, so a burst cannot hold the event loop for long. */
const deliveryChunk = 500;

/**
 * Creates the event bus: the one sink the worker is given, fanning events out to any number of
 * sinks. `emit` only appends to a bounded buffer and returns; delivery happens on a later turn of
 * the event loop (`setImmediate`), so a slow or throwing sink can neither delay nor break a job.
 * When the buffer is full the oldest events are dropped; drops and sink errors are counted
 * (`stats()`) and logged at most once per `warningIntervalMs`.
 *
 * @example
 * const bus = createEventBus({ sinks: [createLoggingSink({ logger })], logger });
 * const worker = createWorker({ store, registry, options, events: bus });
 */
export function createEventBus(options: EventBusOptions = {}): EventBus {
  const logger = options.logger ?? silentEventingLogger;
  const clock = options.clock ?? systemClock;
  const intervalMs = options.warningIntervalMs ?? 60_000;
  const queue = new BoundedQueue<DurablyEvent>(options.capacity ?? 10_000);
  const sinks = new Set<EventSink>(options.sinks ?? []);
  const dropWarning = createRateLimitedWarning({
    logger,
    clock,
    intervalMs,
    message: 'event buffer full: oldest events dropped (sinks are slower than the runtime emits)',
  });
  const sinkWarning = createRateLimitedWarning({
    logger,
    clock,
    intervalMs,
    message: 'an event sink failed',
  });
  let delivered = 0;
  let sinkErrors = 0;
  let scheduled = false;

  const sinkFailed = (error: unknown, operation: 'emit' | 'flush') => {
    sinkErrors += 1;
    sinkWarning.record({ err: error, operation });
  };

  const deliver = (limit: number) => {
    for (let count = 0; count < limit && queue.length > 0; count += 1) {
      const event = queue.shift()!;
      for (const sink of sinks) {
        try {
          sink.emit(event);
        } catch (error) {
          sinkFailed(error, 'emit');
        }
      }
      delivered += 1;
    }
  };

  const onImmediate = () => {
    scheduled = false;
    deliver(deliveryChunk);
    schedule();
  };
  const schedule = () => {
    if (scheduled || queue.length === 0) return;
    scheduled = true;
    setImmediate(onImmediate);
  };

  return {
    emit(event) {
      if (queue.push(event) !== undefined)
        dropWarning.record({ capacity: queue.capacity, dropped: queue.dropped });
      schedule();
    },
    subscribe(sink) {
      sinks.add(sink);
      return () => void sinks.delete(sink);
    },
    stats: () => ({ buffered: queue.length, delivered, dropped: queue.dropped, sinkErrors }),
    async flush() {
      deliver(Number.POSITIVE_INFINITY);
      await Promise.all(
        [...sinks].map(async (sink) => {
          try {
            await sink.flush?.();
          } catch (error) {
            sinkFailed(error, 'flush');
          }
        }),
      );
    },
  };
}
