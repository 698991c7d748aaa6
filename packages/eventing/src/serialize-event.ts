import { randomUUID } from 'node:crypto';
import type { DurablyEvent, RunError } from '@durably/core';
import { describeRunError, type ErrorDetailOptions } from './describe-run-error.js';

/** One event as posted: the event's own fields, dates as ISO-8601 strings, error reduced, plus an id. */
export type IngestionEvent = Record<string, unknown> & { id: string; type: DurablyEvent['type']; at: string };

/**
 * Turns an event into the JSON text posted for it. Each event gets a random `id`, so a receiver
 * can drop the duplicates that a retried post (whose first try did arrive) would otherwise create.
 */
export function serializeEvent(event: DurablyEvent, detail: ErrorDetailOptions): string {
  const record: Record<string, unknown> = { id: randomUUID() };
  for (const [key, value] of Object.entries(event)) {
    if (value instanceof Date) record[key] = value.toISOString();
    else if (key === 'error' && value !== null && typeof value === 'object') {
      record[key] = describeRunError(value as RunError, detail);
    } else record[key] = value;
  }
  return JSON.stringify(record);
}
