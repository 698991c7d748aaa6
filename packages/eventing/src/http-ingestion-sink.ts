import { systemClock, type Clock, type DurablyEvent, type EventSink } from '@durably/core';
import { BoundedQueue } from './bounded-queue.js';
import { silentEventingLogger, type EventingLogger } from './eventing-logger.js';
import {
  resolveIngestionSettings,
  type HttpIngestionSinkOptions,
  type IngestionSettings,
} from './ingestion-settings.js';
import { postWithRetries, type PostSettings } from './post-with-retries.js';
import { createRateLimitedWarning, type RateLimitedWarning } from './rate-limited-warning.js';
import { collectRuntimeInfo } from './runtime-info.js';
import { serializeEvent } from './serialize-event.js';
import { batchBody, takeBatch, type BatchLimits, type PendingEvent } from './take-batch.js';

/** Dependencies of the HTTP ingestion sink; all optional. */
export interface HttpIngestionSinkDependencies {
  /** Where delivery trouble is reported (rate-limited). Default: silent. */
  logger?: EventingLogger;
  /** Source of "now" for log rate limits. Default: the system clock. */
  clock?: Clock;
  /** The `fetch` to post with. Default: the global `fetch`. */
  fetch?: typeof globalThis.fetch;
  /** Uniform random in [0, 1) for retry jitter. Default `Math.random`. */
  random?: () => number;
}

/** Counters of an HTTP ingestion sink since it was created. */
export interface HttpIngestionSinkStats {
  /** Events waiting to be posted. */
  buffered: number;
  /** Events in the batch being posted (or waiting to be retried). */
  inFlight: number;
  sentEvents: number;
  sentBatches: number;
  /** Requests that failed (each retry counts), whether or not a later try succeeded. */
  failedRequests: number;
  /** Events dropped because the buffer was full (oldest first). */
  droppedOverflow: number;
  /** Events dropped with their batch after the retries were spent or the server refused it (4xx). */
  droppedUndelivered: number;
  /** Events dropped because alone they exceed `ingestionMaxRequestBodyBytes`. */
  droppedOversized: number;
  /** Why the last request failed, if one did. */
  lastError: string | undefined;
}

/** An {@link EventSink} that posts events in batches to an ingestion API. */
export interface HttpIngestionSink extends EventSink {
  /** Posts everything buffered so far; resolves when done or after `flushTimeoutMs`. Never rejects. */
  flush(): Promise<void>;
  /** Flushes, then stops the flush timer; later events are ignored. */
  close(): Promise<void>;
  stats(): HttpIngestionSinkStats;
}

/**
 * Creates the HTTP ingestion sink: events are buffered (bounded; the oldest are dropped and counted
 * when full) and posted as JSON batches `{ runtime, events }` to `ingestionApiBaseUrl +
 * ingestionPath`, split so no batch exceeds `ingestionMaxBatchSize` events or
 * `ingestionMaxRequestBodyBytes` bytes. Full batches are posted at once, partial ones every
 * `ingestionFlushIntervalSeconds`. Failed posts are retried with exponential backoff up to
 * `ingestionMaxRetryAttempts` times, then the batch is dropped and counted. One request is in
 * flight at a time, so events arrive in order. Error messages and stacks are left out unless
 * `includeErrorDetail` is on, and then cut to `maxErrorDetailLength` characters.
 *
 * Subscribe it to an event bus (`createEventBus`) rather than handing it to the worker directly.
 * Throws `ConfigurationError` when credentials or the base URL are missing: it never guesses a host.
 *
 * @example
 * const ingestion = createHttpIngestionSink({
 *   tenantId: process.env.DURABLY_TENANT_ID, clientSecret: process.env.DURABLY_CLIENT_SECRET,
 *   ingestionApiBaseUrl: 'https://events.example.com',
 * });
 * const bus = createEventBus({ sinks: [ingestion] });
 */
export function createHttpIngestionSink(
  options: HttpIngestionSinkOptions,
  dependencies: HttpIngestionSinkDependencies = {},
): HttpIngestionSink {
  const delivery = new IngestionDelivery(options, dependencies);
  return {
    emit: (event) => delivery.emit(event),
    flush: () => delivery.flush(),
    close: () => delivery.close(),
    stats: () => delivery.stats(),
  };
}

/** The sink's state: the buffer, the one sending loop, the flush timer and the counters. */
class IngestionDelivery {
  private readonly settings: IngestionSettings;
  private readonly logger: EventingLogger;
  private readonly warnings: Record<'overflow' | 'oversized' | 'undelivered', RateLimitedWarning>;
  private readonly runtimeJson: string;
  private readonly limits: BatchLimits;
  private readonly postSettings: PostSettings;
  private readonly queue: BoundedQueue<PendingEvent>;
  private readonly counters = {
    inFlight: 0,
    sentEvents: 0,
    sentBatches: 0,
    failedRequests: 0,
    droppedUndelivered: 0,
    droppedOversized: 0,
    lastError: undefined as string | undefined,
  };
  // Events accepted into the queue, and events that left it (sent, or dropped for any reason).
  // Both only grow and the queue is FIFO, so `settled >= n` means the first n accepted are done.
  private accepted = 0;
  private settled = 0;
  private queuedBytes = 0;
  /** Partial batches are posted until `settled` reaches this (set by the timer and `flush()`). */
  private flushTarget = 0;
  private sending: Promise<void> | undefined;
  private timer: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(options: HttpIngestionSinkOptions, dependencies: HttpIngestionSinkDependencies) {
    const runtime = collectRuntimeInfo(options.workerName);
    this.settings = resolveIngestionSettings(
      options,
      `durably/${runtime.durablyVersion} node/${runtime.nodeVersion}`,
    );
    this.logger = dependencies.logger ?? silentEventingLogger;
    const clock = dependencies.clock ?? systemClock;
    const warning = (message: string) =>
      createRateLimitedWarning({ logger: this.logger, clock, message, intervalMs: 60_000 });
    this.warnings = {
      overflow: warning(
        'ingestion buffer full: oldest events dropped (the ingestion endpoint is slow or down)',
      ),
      oversized: warning('an event exceeds ingestionMaxRequestBodyBytes on its own and was dropped'),
      undelivered: warning('an ingestion batch could not be delivered and was dropped'),
    };
    this.runtimeJson = JSON.stringify(runtime);
    this.limits = {
      maxEvents: this.settings.maxBatchSize,
      maxBodyBytes: this.settings.maxRequestBodyBytes,
      envelopeBytes: Buffer.byteLength(batchBody(this.runtimeJson, [])),
    };
    this.postSettings = {
      ...this.settings,
      fetch: dependencies.fetch ?? globalThis.fetch,
      random: dependencies.random ?? Math.random,
    };
    this.queue = new BoundedQueue<PendingEvent>(this.settings.bufferCapacity);
  }

  emit(event: DurablyEvent): void {
    if (this.closed) return;
    try {
      this.accept(event);
    } catch (error) {
      // A sink never throws into the runtime (e.g. an event that cannot be serialised).
      this.logger.error(
        { err: error, eventType: event.type },
        'the ingestion sink could not accept an event',
      );
    }
  }

  async flush(): Promise<void> {
    const target = this.accepted;
    this.flushTarget = Math.max(this.flushTarget, target);
    const done = (async () => {
      while (this.settled < target) {
        const current = this.startSending();
        if (current === undefined) break;
        await current;
      }
    })();
    await waitAtMost(done, this.settings.flushTimeoutMs);
  }

  async close(): Promise<void> {
    await this.flush();
    this.closed = true;
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  stats(): HttpIngestionSinkStats {
    return { ...this.counters, buffered: this.queue.length, droppedOverflow: this.queue.dropped };
  }

  private accept(event: DurablyEvent): void {
    const json = serializeEvent(event, this.settings);
    const bytes = Buffer.byteLength(json);
    if (this.limits.envelopeBytes + bytes > this.limits.maxBodyBytes) {
      this.counters.droppedOversized += 1;
      this.warnings.oversized.record({
        eventType: event.type,
        bytes,
        maxBodyBytes: this.limits.maxBodyBytes,
      });
      return;
    }
    this.accepted += 1;
    this.queuedBytes += bytes;
    const evicted = this.queue.push({ json, bytes });
    if (evicted !== undefined) {
      this.settled += 1;
      this.queuedBytes -= evicted.bytes;
      this.warnings.overflow.record({ capacity: this.queue.capacity, dropped: this.queue.dropped });
    }
    if (this.startSending() === undefined) this.armTimer();
  }

  /** Full batches go at once; partial ones only when the timer or `flush()` asked for them. */
  private shouldSend(): boolean {
    if (this.queue.length === 0) return false;
    return (
      this.settled < this.flushTarget ||
      this.queue.length >= this.settings.maxBatchSize ||
      this.queuedBytes >= this.settings.maxRequestBodyBytes
    );
  }

  /** Starts the sending loop unless it runs or has nothing to do; returns the running loop. */
  private startSending(): Promise<void> | undefined {
    if (this.sending === undefined && this.shouldSend()) {
      this.sending = (async () => {
        while (this.shouldSend()) await this.sendBatch();
      })().finally(() => {
        this.sending = undefined;
        if (this.startSending() === undefined) this.armTimer();
      });
    }
    return this.sending;
  }

  private async sendBatch(): Promise<void> {
    const batch = takeBatch(this.queue, this.limits);
    this.queuedBytes -= batch.reduce((sum, event) => sum + event.bytes, 0);
    this.counters.inFlight = batch.length;
    const result = await postWithRetries(batchBody(this.runtimeJson, batch), this.postSettings, (reason) => {
      this.counters.failedRequests += 1;
      this.counters.lastError = reason;
    });
    this.counters.inFlight = 0;
    this.settled += batch.length;
    if (result.ok) {
      this.counters.sentEvents += batch.length;
      this.counters.sentBatches += 1;
      return;
    }
    this.counters.droppedUndelivered += batch.length;
    const why = result.retryable ? `gave up after ${result.tries} tries` : 'the server refused it';
    this.warnings.undelivered.record({
      events: batch.length,
      reason: result.reason,
      why,
      url: this.settings.displayUrl,
    });
  }

  private armTimer(): void {
    if (this.timer !== undefined || this.closed || this.queue.length === 0) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.flushTarget = Math.max(this.flushTarget, this.accepted);
      if (this.startSending() === undefined) this.armTimer();
    }, this.settings.flushIntervalMs);
    // Telemetry never keeps a process alive on its own.
    this.timer.unref();
  }
}

/** Resolves when `promise` settles or after `ms`, whichever is first; clears its timer either way. */
async function waitAtMost(promise: Promise<void>, ms: number): Promise<void> {
  let timeout: NodeJS.Timeout | undefined;
  // Deliberately not unref'd: a caller awaiting flush() at shutdown must get an answer. Were this
  // timer unref'd, a process idle during a retry backoff would exit with the await unsettled.
  const expired = new Promise<void>((resolve) => {
    timeout = setTimeout(resolve, ms);
  });
  try {
    await Promise.race([promise.catch(() => undefined), expired]);
  } finally {
    clearTimeout(timeout);
  }
}
