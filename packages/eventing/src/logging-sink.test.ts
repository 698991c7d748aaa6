import { Writable } from 'node:stream';
import type { DurablyEvent } from '@durably/core';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { createLoggingSink } from './logging-sink.js';
import { failedEvent, succeededEvent } from './test-support/sample-events.js';

/** A real pino logger writing JSON lines into an array. */
function capturedPino() {
  const lines: Record<string, unknown>[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      for (const line of chunk.toString('utf8').split('\n').filter(Boolean))
        lines.push(JSON.parse(line) as Record<string, unknown>);
      callback();
    },
  });
  return { lines, logger: pino({ level: 'debug' }, destination) };
}

const levelName = (level: unknown) => ({ 20: 'debug', 30: 'info', 40: 'warn', 50: 'error' })[level as number];
const error = {
  name: 'TypeError',
  message: 'boom '.repeat(30),
  stack: 'TypeError: boom\n    at run (job.ts:1:1)',
};

describe('createLoggingSink', () => {
  it('logs a succeeded run at info with runId, jobName, attempt, workerName, outcome and durationMs', () => {
    const { lines, logger } = capturedPino();
    createLoggingSink({ logger }).emit(succeededEvent(1));
    expect(lines).toHaveLength(1);
    expect(levelName(lines[0]?.level)).toBe('info');
    expect(lines[0]).toMatchObject({
      msg: 'job succeeded',
      event: 'job_succeeded',
      runId: 'run-1',
      jobName: 'email.send',
      queue: 'default',
      attempt: 1,
      workerName: 'worker-1',
      outcome: 'succeeded',
      durationMs: 12,
    });
  });

  it('logs a terminal failure at error and a retried one at warn, with the error', () => {
    const { lines, logger } = capturedPino();
    const sink = createLoggingSink({ logger });
    sink.emit(failedEvent(1, error, true));
    sink.emit(failedEvent(2, error, false));
    expect(lines.map((line) => levelName(line.level))).toEqual(['error', 'warn']);
    expect(lines.map((line) => line.outcome)).toEqual(['failed', 'retrying']);
    expect(lines[0]?.error).toEqual({ type: 'TypeError', message: error.message, stack: error.stack });
  });

  it('respects includeErrorDetail and maxErrorDetailLength', () => {
    const { lines, logger } = capturedPino();
    createLoggingSink({ logger, includeErrorDetail: false }).emit(failedEvent(1, error));
    createLoggingSink({ logger, maxErrorDetailLength: 10 }).emit(failedEvent(1, error));
    expect(lines[0]?.error).toEqual({ type: 'TypeError' });
    expect((lines[1]?.error as { message: string }).message).toHaveLength(10);
  });

  it('uses a sensible level per event type, and honours overrides', () => {
    const { lines, logger } = capturedPino();
    const at = new Date('2026-01-01T00:00:00Z');
    const base = { at, workerName: 'w', runId: 'r', jobName: 'j', queue: 'q', attempt: 1 };
    const events: DurablyEvent[] = [
      { ...base, type: 'job_claimed', leaseExpiresAt: at },
      { ...base, type: 'job_started', scheduledFor: at },
      { ...base, type: 'retry_scheduled', delayMs: 5_000, error },
      { ...base, type: 'job_retried', previousStatus: 'failed' },
      { ...base, type: 'job_cancelled', durationMs: null },
      { ...base, type: 'job_skipped', slotAt: at },
      { ...base, type: 'lease_lost', reason: 'expired' },
      { type: 'worker_heartbeat', at, workerName: 'w', activeRuns: 2 },
    ];
    const sink = createLoggingSink({ logger });
    for (const event of events) sink.emit(event);
    expect(lines.map((line) => [line.event, levelName(line.level)])).toEqual([
      ['job_claimed', 'debug'],
      ['job_started', 'debug'],
      ['retry_scheduled', 'info'],
      ['job_retried', 'info'],
      ['job_cancelled', 'info'],
      ['job_skipped', 'info'],
      ['lease_lost', 'warn'],
      ['worker_heartbeat', 'debug'],
    ]);
    lines.length = 0;
    const quiet = createLoggingSink({ logger, levels: { worker_heartbeat: 'silent', job_started: 'info' } });
    for (const event of events) quiet.emit(event);
    expect(lines.find((line) => line.event === 'worker_heartbeat')).toBeUndefined();
    expect(levelName(lines.find((line) => line.event === 'job_started')?.level)).toBe('info');
  });
});
