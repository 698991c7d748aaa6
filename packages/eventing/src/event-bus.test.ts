import { createFakeClock, type DurablyEvent, type EventSink } from '@durably/core';
import { describe, expect, it } from 'vitest';
import { createEventBus } from './event-bus.js';
import { succeededEvents } from './test-support/sample-events.js';

function recordingSink(): EventSink & { events: DurablyEvent[]; flushes: number } {
  const sink = {
    events: [] as DurablyEvent[],
    flushes: 0,
    emit(event: DurablyEvent) {
      sink.events.push(event);
    },
    async flush() {
      sink.flushes += 1;
    },
  };
  return sink;
}

function recordingLogger() {
  const lines: { fields: Record<string, unknown>; message: string }[] = [];
  const log = (fields: Record<string, unknown>, message: string) => void lines.push({ fields, message });
  return { lines, warn: log, error: log };
}

const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

describe('createEventBus', () => {
  it('fans every event out to every sink, after emit has returned', async () => {
    const first = recordingSink();
    const second = recordingSink();
    const bus = createEventBus({ sinks: [first] });
    bus.subscribe(second);
    for (const event of succeededEvents(3)) bus.emit(event);
    // Delivery is deferred: the runtime's emit call only buffers.
    expect(first.events).toHaveLength(0);
    await nextTurn();
    expect(first.events).toEqual(succeededEvents(3));
    expect(second.events).toEqual(succeededEvents(3));
    expect(bus.stats()).toEqual({ buffered: 0, delivered: 3, dropped: 0, sinkErrors: 0 });
  });

  it('stops delivering to an unsubscribed sink', async () => {
    const sink = recordingSink();
    const bus = createEventBus();
    const unsubscribe = bus.subscribe(sink);
    bus.emit(succeededEvents(1)[0]!);
    await bus.flush();
    unsubscribe();
    bus.emit(succeededEvents(1)[0]!);
    await bus.flush();
    expect(sink.events).toHaveLength(1);
  });

  it('catches and counts a throwing sink; other sinks still receive every event', async () => {
    const logger = recordingLogger();
    const healthy = recordingSink();
    const broken: EventSink = {
      emit() {
        throw new Error('sink down');
      },
    };
    const bus = createEventBus({ sinks: [broken, healthy], logger });
    expect(() => {
      for (const event of succeededEvents(4)) bus.emit(event);
    }).not.toThrow();
    await bus.flush();
    expect(healthy.events).toHaveLength(4);
    expect(bus.stats().sinkErrors).toBe(4);
    // Rate-limited: one line for the burst, not one per failure.
    expect(logger.lines).toHaveLength(1);
    expect(logger.lines[0]?.message).toMatch(/sink failed/);
  });

  it('counts a sink whose flush rejects, and still flushes the others', async () => {
    const healthy = recordingSink();
    const bus = createEventBus({
      sinks: [{ emit() {}, flush: () => Promise.reject(new Error('no')) }, healthy],
    });
    await expect(bus.flush()).resolves.toBeUndefined();
    expect(healthy.flushes).toBe(1);
    expect(bus.stats().sinkErrors).toBe(1);
  });

  it('drops the oldest events when the buffer is full, counts them and logs at most once per interval', async () => {
    const clock = createFakeClock();
    const logger = recordingLogger();
    const sink = recordingSink();
    const bus = createEventBus({ sinks: [sink], capacity: 3, logger, clock, warningIntervalMs: 60_000 });
    const events = succeededEvents(10);
    for (const event of events.slice(0, 6)) bus.emit(event);
    expect(bus.stats()).toMatchObject({ buffered: 3, dropped: 3 });
    expect(logger.lines).toHaveLength(1);
    clock.advance(60_000);
    for (const event of events.slice(6)) bus.emit(event);
    expect(logger.lines).toHaveLength(2);
    // The first drop after the interval logs, with the drops that went unreported before it.
    expect(logger.lines[1]?.fields).toMatchObject({ occurrences: 3, dropped: 4 });
    expect(bus.stats().dropped).toBe(7);
    await bus.flush();
    expect(sink.events).toEqual(events.slice(7));
  });

  it('delivers a large burst in chunks, yielding to the event loop between them', async () => {
    const sink = recordingSink();
    const bus = createEventBus({ sinks: [sink] });
    for (const event of succeededEvents(1_200)) bus.emit(event);
    await nextTurn();
    expect(sink.events.length).toBeGreaterThan(0);
    expect(sink.events.length).toBeLessThan(1_200);
    await bus.flush();
    expect(sink.events).toHaveLength(1_200);
  });
});
