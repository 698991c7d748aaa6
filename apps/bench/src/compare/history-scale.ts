/**
 * Durably only (issue 9's last two targets): drain speed with many finished runs in the table vs
 * an empty table, and the worker's RSS after many runs vs after a tenth of them. One worker
 * (concurrency 50, producer in the same process) runs throughout:
 *   1. `--probe` runs (default 20 000) to warm up, then the tables emptied and `--probe` runs more
 *      into the empty table: timed → rate when empty;
 *   2. runs enqueued in chunks of 10 000 until `--total` (default 1 000 000) have finished, the RSS
 *      sampled (after a GC when `--expose-gc`) once a tenth of them have finished and at the end;
 *   3. `--probe` runs more, with `--total` finished runs in the table: timed → rate when full.
 * Timings end when the last handler starts (counting finished rows would scan the big table).
 *
 *   <node 24> --expose-gc --import tsx src/compare/history-scale.ts
 */
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { cliArgs } from '../cli-args.js';
import pg from 'pg';
import { createDurablyAdapter } from '../peers/durably.js';

const { values } = parseArgs({
  args: cliArgs(),
  options: {
    total: { type: 'string', default: '1000000' },
    probe: { type: 'string', default: '20000' },
    /** Also: EXPLAIN the claim's index scan, VACUUM the runs table, and probe again (diagnosis). */
    diagnose: { type: 'boolean', default: false },
    postgres: { type: 'string', default: 'postgres://postgres@127.0.0.1:5432/test' },
  },
});
const total = Number(values.total);
const probe = Number(values.probe);
const schema = `bench_history_${process.pid}`;
const adapter = createDurablyAdapter({ postgresUrl: values.postgres!, schema, redisPort: 0 });
let handled = 0;
let waiter: { target: number; resolve: () => void } | undefined;
const handledReach = (target: number) =>
  new Promise<void>((resolve) => (handled >= target ? resolve() : (waiter = { target, resolve })));
const rss = () => {
  (globalThis as { gc?: () => void }).gc?.();
  return process.memoryUsage().rss / 2 ** 20;
};

async function timedProbe(): Promise<number> {
  const target = handled + probe;
  const began = performance.now();
  for (let done = 0; done < probe; done += 1_000) await adapter.enqueueBulk(1_000);
  await handledReach(target);
  return probe / ((performance.now() - began) / 1000);
}

/** Removes every run and attempt (after the warm-up probe), leaving the tables as new. */
async function emptyRunTables(): Promise<void> {
  const client = new pg.Client({ connectionString: values.postgres! });
  await client.connect();
  try {
    await client.query(`truncate "${schema}".durably_runs, "${schema}".durably_attempts`);
  } finally {
    await client.end();
  }
}

/** Dead tuples and the claim scan's cost before a VACUUM, then the probe again after it. */
async function diagnose(): Promise<{ deadTuples: number; vacuumedRate: number }> {
  const client = new pg.Client({ connectionString: values.postgres! });
  await client.connect();
  try {
    const runs = `"${schema}".durably_runs`;
    const stats = await client.query<{ n_dead_tup: string }>(
      `select n_dead_tup from pg_stat_user_tables where schemaname = $1 and relname = 'durably_runs'`,
      [schema],
    );
    await client.query('set enable_sort = off'); // as the store's claim connections
    const plan = await client.query(
      `explain (analyze, buffers) select id from ${runs} where status in ('pending', 'waiting_retry')
         and run_at <= now() and job_name = any('{bench.noop}') order by priority desc, run_at, id limit 50`,
    );
    console.log(`dead tuples: ${stats.rows[0]?.n_dead_tup}; claim scan with nothing due:`);
    for (const row of plan.rows) console.log(`  ${(row as Record<string, string>)['QUERY PLAN']}`);
    await client.query(`vacuum (analyze) ${runs}`);
    const vacuumedRate = await timedProbe();
    console.log(`after VACUUM: ${vacuumedRate.toFixed(0)} jobs/s`);
    return { deadTuples: Number(stats.rows[0]?.n_dead_tup), vacuumedRate };
  } finally {
    await client.end();
  }
}

await adapter.setup();
try {
  await adapter.startWorker(50, () => {
    handled += 1;
    if (waiter && handled >= waiter.target) waiter.resolve();
  });
  // A first probe warms the process up (JIT, pools, prepared statements), then the table is emptied:
  // the empty-table rate must not include the warm-up that the full-table rate does not pay.
  await timedProbe();
  await emptyRunTables();
  handled = 0; // counts the runs in the (now empty) table from here on
  const emptyRate = await timedProbe();
  console.log(`empty table: ${emptyRate.toFixed(0)} jobs/s (enqueue and drain of ${probe}, worker running)`);
  let rssAtTenth = Number.NaN;
  let enqueued = probe;
  while (enqueued < total) {
    // At most 10 000 runs waiting at a time, so the drain (not the enqueue) sets the pace.
    const chunk = Math.min(10_000, total - enqueued);
    for (let queued = 0; queued < chunk; queued += 1_000)
      await adapter.enqueueBulk(Math.min(1_000, chunk - queued));
    enqueued += chunk;
    await handledReach(enqueued);
    if (Number.isNaN(rssAtTenth) && handled >= total / 10) {
      rssAtTenth = rss();
      console.log(`RSS after ${handled} runs: ${rssAtTenth.toFixed(1)} MiB`);
    }
  }
  const rssAtEnd = rss();
  console.log(
    `RSS after ${handled} runs: ${rssAtEnd.toFixed(1)} MiB (ratio ${(rssAtEnd / rssAtTenth).toFixed(3)})`,
  );
  const fullRate = await timedProbe();
  console.log(
    `with ${handled} finished runs: ${fullRate.toFixed(0)} jobs/s (ratio ${(fullRate / emptyRate).toFixed(3)})`,
  );
  const diagnosis = values.diagnose ? await diagnose() : undefined;
  console.log(
    `RESULT ${JSON.stringify({ total, probe, emptyRate, fullRate, rssAtTenth, rssAtEnd, finished: await adapter.countDone(), ...diagnosis })}`,
  );
} finally {
  await adapter.teardown();
}
process.exit(0);
