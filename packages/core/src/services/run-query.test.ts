import { describe, expect, it } from 'vitest';
import { createFakeClock } from '../clock.js';
import { InvalidArgumentError } from '../errors.js';
import { defineJob } from '../job-definition.js';
import { createMemoryStore } from '../memory/memory-store.js';
import { resolveOptions } from '../options/resolve-options.js';
import { createJobRegistry } from '../registry/job-registry.js';
import { createClient } from './durably-client.js';
import { checkTake, createRunQuery } from './run-query.js';

const run = () => undefined;
const alpha = defineJob<{ n: number }>({ name: 'alpha', run });
const beta = defineJob({ name: 'beta', queue: 'b', run });

async function setup() {
  const clock = createFakeClock('2026-05-01T00:00:00Z');
  const store = createMemoryStore({ clock });
  const deps = { store, registry: createJobRegistry([alpha, beta]), options: resolveOptions(), clock };
  const client = createClient(deps);
  const ids: string[] = [];
  for (let n = 0; n < 3; n++) {
    ids.push(await client.enqueue(alpha, { n }, { delay: (3 - n) * 1000 }));
    clock.advance(10);
  }
  ids.push(await client.enqueue(beta));
  return { clock, store, client, ids, query: createRunQuery(deps) };
}

describe('RunQuery', () => {
  it('gets one run, the recent runs newest first and runs by job', async () => {
    const { query, ids } = await setup();
    expect((await query.get(ids[0]!))?.payload).toEqual({ n: 0 });
    expect(await query.get('missing')).toBeUndefined();
    expect((await query.recent()).map((r) => r.runId)).toEqual([...ids].reverse());
    expect((await query.recent(2)).map((r) => r.runId)).toEqual([ids[3], ids[2]]);
    expect((await query.byJob('beta', 10)).map((r) => r.runId)).toEqual([ids[3]]);
  });

  it('filters by status and lists the enqueued runs in due order', async () => {
    const { query, client, ids } = await setup();
    await client.cancel(ids[1]!);
    expect((await query.byStatus('cancelled', 10)).map((r) => r.runId)).toEqual([ids[1]]);
    // beta is due now; alpha n=2 after 1 s, n=0 after 3 s.
    expect((await query.enqueued(10)).map((r) => r.runId)).toEqual([ids[3], ids[2], ids[0]]);
    const counts = await query.countsByStatus();
    expect(counts).toMatchObject({ pending: 3, cancelled: 1, failed: 0 });
    expect((await query.countsByStatus({ jobName: 'beta' })).pending).toBe(1);
  });

  it('pages through list with filters', async () => {
    const { query, ids } = await setup();
    const first = await query.list({ take: 2, jobName: 'alpha' });
    expect(first.runs.map((r) => r.runId)).toEqual([ids[2], ids[1]]);
    const second = await query.list({ take: 2, jobName: 'alpha', cursor: first.nextCursor! });
    expect(second.runs.map((r) => r.runId)).toEqual([ids[0]]);
    expect((await query.list({ queue: 'b' })).runs).toHaveLength(1);
    await expect(query.list({ statuses: ['done' as never] })).rejects.toBeInstanceOf(InvalidArgumentError);
  });

  it('returns attempts and logs of a run', async () => {
    const { query, store, ids } = await setup();
    const [claimed] = await store.runClaim({ workerName: 'w', limit: 1, leaseDurationMs: 1000, jobNames: ['beta'] });
    const ref = { runId: ids[3]!, workerName: 'w', attempt: claimed!.run.attempt };
    await store.runLogAppend({ lines: [{ ...ref, at: new Date(), level: 'info', message: 'hello' }], maxLinesPerRun: 10 });
    await store.runFinishMany({ finishes: [{ ...ref, outcome: { type: 'succeeded' } }] });
    expect((await query.attempts(ids[3]!)).map((a) => a.outcome)).toEqual(['succeeded']);
    expect((await query.logs(ids[3]!)).map((l) => l.message)).toEqual(['hello']);
  });

  it('validates take and clamps it to 1000', async () => {
    const { query } = await setup();
    for (const take of [0, -1, 1.5, Number.NaN, '10']) {
      const error = await query.recent(take as never).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(InvalidArgumentError);
      expect((error as InvalidArgumentError).argument).toBe('take');
    }
    expect(await query.recent(5000)).toHaveLength(4);
    expect(checkTake(5000)).toBe(1000);
    expect(checkTake(1)).toBe(1);
    expect(checkTake(undefined)).toBe(50);
    await expect(query.byStatus('finished' as never)).rejects.toBeInstanceOf(InvalidArgumentError);
    await expect(query.byJob('')).rejects.toBeInstanceOf(InvalidArgumentError);
  });
});
