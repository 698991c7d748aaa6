/**
 * Durably's PostgreSQL benchmark: enqueue (one by one, bulk), drain (concurrency 10 and 50) and
 * enqueue→start latency, each on a fresh schema, through the public API with the worker runtime as
 * a user runs it. Prints a table and writes JSON.
 *
 *   pnpm --filter @durably/bench bench [-- --n 20000 --json results.json]
 *   pnpm --filter @durably/bench bench:smoke        (small N: checks that the benchmark still runs)
 *
 * Database: DURABLY_BENCH_POSTGRES_URL, else DURABLY_TEST_POSTGRES_URL, else
 * postgres://postgres@127.0.0.1:5432/test.
 */
import { writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { cliArgs } from './cli-args.js';
import {
  drain,
  enqueueBulk,
  enqueueOneByOne,
  startLatency,
  storeDrain,
  withSchema,
} from './bench-scenarios.js';
import { printTable, type Figure } from './bench-stats.js';

const { values } = parseArgs({
  args: cliArgs(),
  options: {
    smoke: { type: 'boolean', default: false },
    n: { type: 'string' },
    samples: { type: 'string' },
    json: { type: 'string', default: 'bench-results.json' },
  },
});
const url =
  process.env.DURABLY_BENCH_POSTGRES_URL ??
  process.env.DURABLY_TEST_POSTGRES_URL ??
  'postgres://postgres@127.0.0.1:5432/test';
const n = Number(values.n ?? (values.smoke ? 500 : 20_000));
const samples = Number(values.samples ?? (values.smoke ? 20 : 500));

const figures: Figure[] = [];
const run = async (
  label: string,
  scenario: (target: { url: string; schema: string }) => Promise<Figure[]>,
) => {
  const result = await withSchema(url, label, scenario);
  for (const figure of result) console.log(`  ${figure.metric}: ${figure.value.toFixed(2)} ${figure.unit}`);
  figures.push(...result);
};

// Figures on a busy machine are not comparable: say how busy it was.
const machine = () =>
  `${cpus().length} CPUs, load average ${loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')}`;
console.log(`Durably benchmark on ${url.replace(/:[^:@/]*@/, ':***@')} — N=${n}, latency samples=${samples}`);
console.log(`Machine at start: ${machine()}`);
await run('enqueue1', (target) => enqueueOneByOne(target, n, 50));
await run('bulk', (target) => enqueueBulk(target, n, 1_000));
await run('drain10', (target) => drain(target, n, 10));
await run('drain50', (target) => drain(target, n, 50));
await run('storedrain', (target) => storeDrain(target, n, 200));
await run('latency', (target) => startLatency(target, samples));
printTable(
  `Durably on PostgreSQL (N=${n}${values.smoke ? ', smoke' : ''}; at the end: ${machine()})`,
  figures,
);
writeFileSync(
  values.json!,
  JSON.stringify(
    { at: new Date().toISOString(), machine: machine(), n, samples, smoke: values.smoke, figures },
    null,
    2,
  ),
);
console.log(`\nWrote ${values.json}`);
