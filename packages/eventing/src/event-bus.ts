import { systemClock, type Clock, type DurablyEvent, type EventSink } from '@durably/core';
import { BoundedQueue } from './bounded-queue.js';
import { silentEventingLogger, type EventingLogger } from './eventing-logger.js';
import { createRateLimitedWarning, type RateLimitedWarning } from './rate-limited-warning.js';

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
  const bus = new FanOutBus(options);
  return {
    emit: (event) => bus.emit(event),
    subscribe: (sink) => bus.subscribe(sink),
    stats: () => bus.stats(),
    flush: () => bus.flush(),
  };
}

class FanOutBus {
  private readonly queue: BoundedQueue<DurablyEvent>;
  private readonly sinks: Set<EventSink>;
  private readonly dropWarning: RateLimitedWarning;
  private readonly sinkWarning: RateLimitedWarning;
  private delivered = 0;
  private sinkErrors = 0;
  private scheduled = false;

  constructor(options: EventBusOptions) {
    const logger = options.logger ?? silentEventingLogger;
    const clock = options.clock ?? systemClock;
    const intervalMs = options.warningIntervalMs ?? 60_000;
    this.queue = new BoundedQueue<DurablyEvent>(options.capacity ?? 10_000);
    this.sinks = new Set(options.sinks ?? []);
    this.dropWarning = createRateLimitedWarning({
      logger,
      clock,
      intervalMs,
      message: 'event buffer full: oldest events dropped (sinks are slower than the runtime emits)',
    });
    this.sinkWarning = createRateLimitedWarning({
      logger,
      clock,
      intervalMs,
      message: 'an event sink failed',
    });
  }

  emit(event: DurablyEvent): void {
    if (this.queue.push(event) !== undefined) {
      this.dropWarning.record({ capacity: this.queue.capacity, dropped: this.queue.dropped });
    }
    this.schedule();
  }

  subscribe(sink: EventSink): () => void {
    this.sinks.add(sink);
    return () => void this.sinks.delete(sink);
  }

  stats(): EventBusStats {
    const { queue, delivered, sinkErrors } = this;
    return { buffered: queue.length, delivered, dropped: queue.dropped, sinkErrors };
  }

  async flush(): Promise<void> {
    this.deliver(Number.POSITIVE_INFINITY);
    await Promise.all(
      [...this.sinks].map(async (sink) => {
        try {
          await sink.flush?.();
        } catch (error) {
          this.sinkFailed(error, 'flush');
        }
      }),
    );
  }

  private schedule(): void {
    if (this.scheduled || this.queue.length === 0) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.deliver(deliveryChunk);
      this.schedule();
    });
  }

  private deliver(limit: number): void {
    for (let count = 0; count < limit && this.queue.length > 0; count += 1) {
      const event = this.queue.shift()!;
      for (const sink of this.sinks) {
        try {
          sink.emit(event);
        } catch (error) {
          this.sinkFailed(error, 'emit');
        }
      }
      this.delivered += 1;
    }
  }

  private sinkFailed(error: unknown, operation: 'emit' | 'flush'): void {
    this.sinkErrors += 1;
    this.sinkWarning.record({ err: error, operation });
  }
}
