import { createClient, createFakeClock, createJobRegistry, createMemoryStore, defineJob, resolveOptions, type AttemptInfo, type Instrumentation } from '@durably/core';
import { describe, expect, it } from 'vitest';
import { createWorker } from './create-worker.js';
import { stopAndCheck } from './test-support/harness.js';

async function runWith(instrumentation: Instrumentation, fail = false) {
  const clock = createFakeClock();
  const store = createMemoryStore({ clock });
  let calls = 0;
  const job = defineJob({
    name: 'traced',
    maxAttempts: 1,
    run: () => {
      calls += 1;
      if (fail) throw new RangeError('nope');
    },
  });
  const registry = createJobRegistry([job]);
  const options = resolveOptions({ workerName: 'w' });
  const worker = createWorker({ store, registry, options, clock, instrumentation });
  const runId = await createClient({ store, registry, options, clock }).enqueue(job, undefined, { metadata: { traceparent: 'tp' } });
  await worker.drain();
  await stopAndCheck(worker);
  return { calls, run: (await store.runGet({ runId }))!, runId };
}

describe('instrumentation attempt hook', () => {
  it('wraps every execution and sees the outcome the worker decided', async () => {
    const seen: { info: AttemptInfo; result: unknown }[] = [];
    const instrumentation: Instrumentation = {
      async attempt(info, execute) {
        const result = await execute();
        seen.push({ info, result });
        return result;
      },
    };
    const ok = await runWith(instrumentation);
    const bad = await runWith(instrumentation, true);
    expect(ok.calls).toBe(1);
    expect(seen[0]?.info).toMatchObject({ runId: ok.runId, jobName: 'traced', attempt: 1, workerName: 'w', origin: 'enqueue', metadata: { traceparent: 'tp' } });
    expect(seen[0]?.result).toEqual({ type: 'succeeded' });
    expect(seen[1]?.result).toMatchObject({ type: 'failed', error: { name: 'RangeError' } });
    expect(bad.run.status).toBe('failed');
  });

  it('a hook that throws before executing, never executes, or throws after cannot lose or repeat the run', async () => {
    const before = await runWith({ attempt: () => { throw new Error('broken exporter'); } });
    const never = await runWith({ attempt: async () => undefined as never });
    const after = await runWith({
      async attempt(_info, execute) {
        await execute();
        throw new Error('span end failed');
      },
    });
    for (const result of [before, never, after]) {
      expect(result.calls).toBe(1);
      expect(result.run.status).toBe('succeeded');
    }
  });
});
