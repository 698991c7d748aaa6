import { systemClock, type Clock, type DurablyEvent, type EventSink } from '@durably/core';
import { BoundedQueue } from './bounded-queue.js';
import { silentEventingLogger, type EventingLogger } from './eventing-logger.js';
import { resolveIngestionSettings, type HttpIngestionSinkOptions } from './ingestion-settings.js';
import { postWithRetries } from './post-with-retries.js';
import { createRateLimitedWarning } from './rate-limited-warning.js';
import { collectRuntimeInfo } from './runtime-info.js';
import { serializeEvent } from './serialize-event.js';
import { batchBody, takeBatch, type PendingEvent } from './take-batch.js';

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
  const runtime = collectRuntimeInfo(options.workerName);
  const settings = resolveIngestionSettings(
    options,
    `durably/${runtime.durablyVersion} node/${runtime.nodeVersion}`,
  );
  const logger = dependencies.logger ?? silentEventingLogger;
  const clock = dependencies.clock ?? systemClock;
  const warn = (message: string) => createRateLimitedWarning({ logger, clock, message, intervalMs: 60_000 });
  const warnings = {
    overflow: warn('ingestion buffer full: oldest events dropped (the ingestion endpoint is slow or down)'),
    oversized: warn('an event exceeds ingestionMaxRequestBodyBytes on its own and was dropped'),
    undelivered: warn('an ingestion batch could not be delivered and was dropped'),
  };
  const runtimeJson = JSON.stringify(runtime);
  const limits = {
    maxEvents: settings.maxBatchSize,
    maxBodyBytes: settings.maxRequestBodyBytes,
    envelopeBytes: Buffer.byteLength(batchBody(runtimeJson, [])),
  };
  const postSettings = {
    ...settings,
    fetch: dependencies.fetch ?? globalThis.fetch,
    random: dependencies.random ?? Math.random,
  };
  const queue = new BoundedQueue<PendingEvent>(settings.bufferCapacity);
  const stats = {
    inFlight: 0,
    sentEvents: 0,
    sentBatches: 0,
    failedRequests: 0,
    droppedUndelivered: 0,
    droppedOversized: 0,
    lastError: undefined as string | undefined,
  };
  // Events accepted into the queue, and events that left it (sent, dropped for any reason). Both
  // only grow; the queue is FIFO, so `settled >= n` means the first n accepted events are done.
  let accepted = 0;
  let settled = 0;
  let queuedBytes = 0;
  let flushTarget = 0;
  let sending: Promise<void> | undefined;
  let timer: NodeJS.Timeout | undefined;
  let closed = false;

  const shouldSend = () =>
    queue.length > 0 &&
    (settled < flushTarget ||
      queue.length >= settings.maxBatchSize ||
      queuedBytes >= settings.maxRequestBodyBytes);

  async function sendBatch(): Promise<void> {
    const batch = takeBatch(queue, limits);
    const bytes = batch.reduce((sum, event) => sum + event.bytes, 0);
    queuedBytes -= bytes;
    stats.inFlight = batch.length;
    const result = await postWithRetries(batchBody(runtimeJson, batch), postSettings, (reason) => {
      stats.failedRequests += 1;
      stats.lastError = reason;
    });
    stats.inFlight = 0;
    settled += batch.length;
    if (result.ok) {
      stats.sentEvents += batch.length;
      stats.sentBatches += 1;
      return;
    }
    stats.droppedUndelivered += batch.length;
    const why = result.retryable ? `gave up after ${result.tries} tries` : 'the server refused it';
    warnings.undelivered.record({ events: batch.length, reason: result.reason, why, url: settings.url });
  }

  function startSending(): Promise<void> | undefined {
    if (sending === undefined && shouldSend()) {
      sending = (async () => {
        while (shouldSend()) await sendBatch();
      })().finally(() => {
        sending = undefined;
        if (shouldSend()) void startSending();
        else armTimer();
      });
    }
    return sending;
  }

  function armTimer(): void {
    if (timer !== undefined || closed || queue.length === 0) return;
    timer = setTimeout(() => {
      timer = undefined;
      flushTarget = Math.max(flushTarget, accepted);
      if (startSending() === undefined) armTimer();
    }, settings.flushIntervalMs);
    // Telemetry never keeps a process alive on its own.
    timer.unref();
  }

  function accept(event: DurablyEvent): void {
    const json = serializeEvent(event, settings);
    const bytes = Buffer.byteLength(json);
    if (limits.envelopeBytes + bytes > limits.maxBodyBytes) {
      stats.droppedOversized += 1;
      warnings.oversized.record({ eventType: event.type, bytes, maxBodyBytes: limits.maxBodyBytes });
      return;
    }
    accepted += 1;
    queuedBytes += bytes;
    const evicted = queue.push({ json, bytes });
    if (evicted !== undefined) {
      settled += 1;
      queuedBytes -= evicted.bytes;
      warnings.overflow.record({ capacity: queue.capacity, dropped: queue.dropped });
    }
    if (startSending() === undefined) armTimer();
  }

  async function flush(): Promise<void> {
    const target = accepted;
    flushTarget = Math.max(flushTarget, target);
    const done = (async () => {
      while (settled < target) {
        const current = startSending();
        if (current === undefined) break;
        await current;
      }
    })();
    await waitAtMost(done, settings.flushTimeoutMs);
  }

  return {
    emit(event) {
      if (closed) return;
      try {
        accept(event);
      } catch (error) {
        // A sink never throws into the runtime (e.g. an event that cannot be serialised).
        logger.error({ err: error, eventType: event.type }, 'the ingestion sink could not accept an event');
      }
    },
    flush,
    async close() {
      await flush();
      closed = true;
      if (timer !== undefined) clearTimeout(timer);
      timer = undefined;
    },
    stats: () => ({ ...stats, buffered: queue.length, droppedOverflow: queue.dropped }),
  };
}

/** Resolves when `promise` settles or after `ms`, whichever is first; clears its timer either way. */
async function waitAtMost(promise: Promise<void>, ms: number): Promise<void> {
  let timeout: NodeJS.Timeout | undefined;
  const expired = new Promise<void>((resolve) => {
    timeout = setTimeout(resolve, ms);
    timeout.unref();
  });
  try {
    await Promise.race([promise.catch(() => undefined), expired]);
  } finally {
    clearTimeout(timeout);
  }
}
