import type { BoundedQueue } from './bounded-queue.js';

/** An event waiting to be posted: its JSON text and that text's size in UTF-8 bytes. */
export interface PendingEvent {
  json: string;
  bytes: number;
}

/** Limits of one post. */
export interface BatchLimits {
  /** Most events per post. */
  maxEvents: number;
  /** Most bytes of the whole request body, envelope included. */
  maxBodyBytes: number;
  /** Bytes of the body with no events (`{"runtime":…,"events":[]}`). */
  envelopeBytes: number;
}

/**
 * Removes the next batch from the front of `queue`: as many events as fit both limits, in order.
 * The first event is always taken when it fits at all; callers drop events that could never fit
 * before they are queued, so a batch is never empty while the queue is not.
 */
export function takeBatch(queue: BoundedQueue<PendingEvent>, limits: BatchLimits): PendingEvent[] {
  let bodyBytes = limits.envelopeBytes;
  let count = 0;
  while (count < limits.maxEvents && count < queue.length) {
    const next = queue.peek(count)!;
    // A comma separates every event from the one before it.
    const added = next.bytes + (count > 0 ? 1 : 0);
    if (count > 0 && bodyBytes + added > limits.maxBodyBytes) break;
    bodyBytes += added;
    count += 1;
  }
  const batch: PendingEvent[] = [];
  for (let index = 0; index < count; index += 1) batch.push(queue.shift()!);
  return batch;
}

/** The request body for `batch`: `{"runtime":{…},"events":[…]}`, spliced without re-serializing events. */
export function batchBody(runtimeJson: string, batch: readonly PendingEvent[]): string {
  return `{"runtime":${runtimeJson},"events":[${batch.map((event) => event.json).join(',')}]}`;
}
