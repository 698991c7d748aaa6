import type { DurablyEvent, EventSink } from '@durably/core';
import type { WorkerLogger } from './worker-logger.js';

/** Emits events to a sink; a sink that throws is logged and otherwise ignored (it never breaks execution). */
export type EmitEvent = (event: DurablyEvent) => void;

/** Wraps `sink.emit` so a throwing sink cannot change the outcome of a run. */
export function createEventEmitter(sink: EventSink, logger: WorkerLogger): EmitEvent {
  return (event) => {
    try {
      sink.emit(event);
    } catch (error) {
      logger.warn({ err: error, eventType: event.type }, 'an event sink threw; the event was dropped');
    }
  };
}
