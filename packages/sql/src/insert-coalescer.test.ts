import { describe, expect, it } from 'vitest';
import { InsertCoalescer } from './insert-coalescer.js';
import type { RunInsertRow } from './sql-context.js';

const row = (id: string) => ({ id }) as RunInsertRow;

describe('InsertCoalescer', () => {
  it('writes concurrent calls together, and later calls in the next batch', async () => {
    const batches: string[][] = [];
    let release!: () => void;
    const coalescer = new InsertCoalescer(
      async (rows) => {
        batches.push(rows.map((r) => r.id));
        if (batches.length === 1) await new Promise<void>((resolve) => (release = resolve));
      },
      () => false,
    );
    const first = [coalescer.insert([row('a')]), coalescer.insert([row('b'), row('c')])];
    await new Promise((resolve) => setImmediate(resolve));
    // While the first batch is in flight, new calls wait and then share one write.
    const second = [coalescer.insert([row('d')]), coalescer.insert([row('e')])];
    release();
    await Promise.all([...first, ...second]);
    expect(batches).toEqual([
      ['a', 'b', 'c'],
      ['d', 'e'],
    ]);
  });

  it('fails only the caller whose rows the database refuses', async () => {
    const coalescer = new InsertCoalescer(
      async (rows) => {
        if (rows.some((r) => r.id === 'bad')) throw new Error('refused');
      },
      () => false,
    );
    const results = await Promise.allSettled([
      coalescer.insert([row('a')]),
      coalescer.insert([row('bad')]),
      coalescer.insert([row('c')]),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
  });

  it('fails the whole batch on a transient error (the database is down for everyone)', async () => {
    const coalescer = new InsertCoalescer(
      async () => {
        throw new Error('down');
      },
      () => true,
    );
    const results = await Promise.allSettled([coalescer.insert([row('a')]), coalescer.insert([row('b')])]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
  });
});
