import { Writable } from 'node:stream';
import { createMemoryStore, defineJob } from '@durably/core';
import { createDurably } from '@durably/hosting';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { sampleObservability } from './sample-observability.js';

const greet = defineJob<{ name: string }>({ name: 'greet', run: () => undefined });

/** A JSON pino logger collecting its lines. */
function collectingLogger() {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk, _encoding, callback) {
      for (const line of String(chunk).split('\n').filter(Boolean))
        lines.push(JSON.parse(line) as Record<string, unknown>);
      callback();
    },
  });
  return { logger: pino({ level: 'info' }, stream), lines };
}

/** Runs one enqueue → execution through `createDurably` with the options the environment turns on. */
async function runOnce(env: NodeJS.ProcessEnv) {
  const { logger, lines } = collectingLogger();
  const durably = await createDurably({
    ...sampleObservability(env, logger),
    store: createMemoryStore(),
    jobs: [greet],
    env: {},
    logger,
    handleSignals: false,
    startWorker: false,
  });
  const runId = await durably.client.enqueue(greet, { name: 'Ada' });
  await durably.worker!.drain();
  await durably.stop();
  return { runId, lines };
}

describe('sampleObservability', () => {
  it('is all off by default', async () => {
    expect(sampleObservability({}, pino({ level: 'silent' }))).toEqual({ eventSinks: [], logEvents: false });
    const { lines } = await runOnce({ SAMPLE_OTEL: '0' });
    expect(lines.some((line) => String(line.msg).startsWith('span '))).toBe(false);
  });

  it('SAMPLE_OTEL=1 logs a producer span and a consumer span linked to it', async () => {
    const { runId, lines } = await runOnce({ SAMPLE_OTEL: '1' });
    const producer = lines.find((line) => line.msg === 'span send greet');
    const consumer = lines.find((line) => line.msg === 'span process greet');
    expect(producer).toMatchObject({ kind: 'PRODUCER', attributes: { 'messaging.message.id': runId } });
    expect(consumer).toMatchObject({
      kind: 'CONSUMER',
      links: [producer?.spanId],
      attributes: { 'durably.run.outcome': 'succeeded' },
    });
  });

  it('SAMPLE_LOG_EVENTS=1 logs the lifecycle events of the run', async () => {
    const isSucceededEvent = (runId: string) => (line: Record<string, unknown>) =>
      line.event === 'job_succeeded' && line.runId === runId && line.msg === 'job succeeded';
    const quiet = await runOnce({});
    expect(quiet.lines.some(isSucceededEvent(quiet.runId))).toBe(false);
    const { runId, lines } = await runOnce({ SAMPLE_LOG_EVENTS: '1' });
    expect(lines.some(isSucceededEvent(runId))).toBe(true);
  });
});
