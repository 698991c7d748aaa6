import { describe, expect, it } from 'vitest';
import { createFakeClock } from '../clock.js';
import { RunKeyConflictError } from '../errors.js';
import type { EnqueueInfo, Instrumentation } from '../instrumentation.js';
import { defineJob } from '../job-definition.js';
import { createMemoryStore } from '../memory/memory-store.js';
import { resolveOptions } from '../options/resolve-options.js';
import { syncSchedules } from '../recurring/sync-schedules.js';
import { createJobRegistry } from '../registry/job-registry.js';
import { createClient } from './durably-client.js';
import { createScheduleAdmin } from './schedule-admin.js';

const run = () => undefined;
const ping = defineJob({ name: 'ping', queue: 'fast', run });
const hourly = defineJob({ name: 'metrics.hourly', queue: 'metrics', recurring: { cron: '0 * * * *' }, run });

interface Recorded {
  info: EnqueueInfo;
  ends: unknown[];
}

/** An Instrumentation that records every enqueue call and how its span ended. */
function recordingInstrumentation(metadata: Record<string, string> = { traceparent: 'tp-1' }) {
  const calls: Recorded[] = [];
  const instrumentation: Instrumentation = {
    enqueue(info) {
      const call: Recorded = { info, ends: [] };
      calls.push(call);
      return { metadata, end: (result) => void call.ends.push(result) };
    },
  };
  return { calls, instrumentation };
}

async function setup(instrumentation: Instrumentation) {
  const clock = createFakeClock('2026-03-01T10:20:00Z');
  const store = createMemoryStore({ clock });
  const deps = {
    store,
    registry: createJobRegistry([ping, hourly]),
    options: resolveOptions(),
    clock,
    instrumentation,
  };
  await syncSchedules(deps);
  return { store, client: createClient(deps), admin: createScheduleAdmin(deps) };
}

describe('enqueue instrumentation', () => {
  it("wraps an enqueue: metadata stored under the caller's own keys, span ended with the run id", async () => {
    const { calls, instrumentation } = recordingInstrumentation({ traceparent: 'tp-1', tenant: 'from-hook' });
    const { client, store } = await setup(instrumentation);
    const runId = await client.enqueue(ping, undefined, { metadata: { tenant: 'acme' } });
    expect(calls).toEqual([
      { info: { jobName: 'ping', queue: 'fast', count: 1, origin: 'enqueue' }, ends: [{ runIds: [runId] }] },
    ]);
    expect((await store.runGet({ runId }))?.metadata).toEqual({ traceparent: 'tp-1', tenant: 'acme' });
  });

  it('reports a bulk enqueue once with its count and every run id, and a delayed run as schedule', async () => {
    const { calls, instrumentation } = recordingInstrumentation();
    const { client } = await setup(instrumentation);
    const results = await client.enqueueMany(ping, [undefined, undefined, undefined]);
    await client.schedule(ping, undefined, { delay: '5m' });
    expect(calls[0]?.info).toEqual({ jobName: 'ping', queue: 'fast', count: 3, origin: 'enqueue' });
    expect(calls[0]?.ends).toEqual([{ runIds: results.map((result) => result.runId) }]);
    expect(calls[1]?.info.origin).toBe('schedule');
  });

  it('ends the span with the error when the insert fails, and rethrows it', async () => {
    const { calls, instrumentation } = recordingInstrumentation();
    const { client } = await setup(instrumentation);
    await client.enqueue(ping, undefined, { key: 'k' });
    const error = await client
      .enqueue(ping, undefined, { key: 'k', keyConflict: 'reject' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RunKeyConflictError);
    expect(calls[1]?.ends).toEqual([{ error }]);
  });

  it('traces run-now with origin run-now', async () => {
    const { calls, instrumentation } = recordingInstrumentation();
    const { admin, store } = await setup(instrumentation);
    const runId = await admin.runNow('metrics.hourly');
    expect(calls.map((call) => call.info)).toEqual([
      { jobName: 'metrics.hourly', queue: 'metrics', count: 1, origin: 'run-now' },
    ]);
    expect(calls[0]?.ends).toEqual([{ runIds: [runId] }]);
    expect((await store.runGet({ runId }))?.metadata).toEqual({ traceparent: 'tp-1' });
  });

  it('never breaks an enqueue when the hook, its metadata or its end throws', async () => {
    const throwing: Instrumentation[] = [
      {
        enqueue: () => {
          throw new Error('tracer down');
        },
      },
      {
        enqueue: () => ({
          get metadata(): Record<string, string> {
            throw new Error('bad getter');
          },
          end: () => {},
        }),
      },
      {
        enqueue: () => ({
          metadata: { ok: 'yes', bad: 42 as unknown as string },
          end: () => {
            throw new Error('exporter down');
          },
        }),
      },
    ];
    for (const instrumentation of throwing) {
      const { client, store } = await setup(instrumentation);
      const runId = await client.enqueue(ping, undefined);
      expect(await store.runGet({ runId })).toBeDefined();
    }
    const { client, store } = await setup(throwing[2]!);
    const runId = await client.enqueue(ping, undefined);
    expect((await store.runGet({ runId }))?.metadata).toEqual({ ok: 'yes' });
  });
});
