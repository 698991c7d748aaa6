/**
 * Durably's own benchmark: enqueue (one by one, bulk), drain (concurrency 10 and 50) and
 * enqueue→start latency, each on a fresh schema (PostgreSQL), database (MySQL/MariaDB) or file
 * (SQLite), through the public API with the worker runtime as a user runs it. Prints a table and
 * writes JSON.
 *
 *   pnpm --filter @durably/bench bench [--provider postgres|mysql|sqlite] [--n 20000] [--json results.json]
 *   pnpm --filter @durably/bench bench:smoke        (small N: checks that the benchmark still runs)
 *
 * Databases: DURABLY_BENCH_POSTGRES_URL / DURABLY_BENCH_MYSQL_URL, else the DURABLY_TEST_* URLs,
 * else the local defaults; SQLite uses a file in the temporary directory.
 */
import { writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { cliArgs } from './cli-args.js';
import {
  benchProviders,
  benchUrl,
  withFreshTarget,
  type BenchProvider,
  type BenchTarget,
} from './bench-databases.js';
import { drain, enqueueBulk, enqueueOneByOne, startLatency, storeDrain } from './bench-scenarios.js';
import { printTable, type Figure } from './bench-stats.js';

const { values } = parseArgs({
  args: cliArgs(),
  options: {
    smoke: { type: 'boolean', default: false },
    n: { type: 'string' },
    samples: { type: 'string' },
    json: { type: 'string', default: 'bench-results.json' },
    provider: { type: 'string', default: 'postgres' },
  },
});
const provider = values.provider as BenchProvider;
if (!benchProviders.includes(provider)) {
  throw new Error(
    `--provider must be one of ${benchProviders.join(', ')}, got ${JSON.stringify(values.provider)}`,
  );
}
const url = benchUrl(provider);
const providerName = { postgres: 'PostgreSQL', mysql: 'MySQL/MariaDB', sqlite: 'SQLite' }[provider];
const n = Number(values.n ?? (values.smoke ? 500 : 20_000));
const samples = Number(values.samples ?? (values.smoke ? 20 : 500));

const figures: Figure[] = [];
const run = async (label: string, scenario: (target: BenchTarget) => Promise<Figure[]>) => {
  const result = await withFreshTarget(provider, label, scenario);
  for (const figure of result) console.log(`  ${figure.metric}: ${figure.value.toFixed(2)} ${figure.unit}`);
  figures.push(...result);
};

// Figures on a busy machine are not comparable: say how busy it was.
const machine = () =>
  `${cpus().length} CPUs, load average ${loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')}`;
console.log(
  `Durably benchmark on ${providerName} (${url.replace(/:[^:@/]*@/, ':***@')}) — N=${n}, latency samples=${samples}`,
);
console.log(`Machine at start: ${machine()}`);
await run('enqueue1', (target) => enqueueOneByOne(target, n, 50));
await run('bulk', (target) => enqueueBulk(target, n, 1_000));
await run('drain10', (target) => drain(target, n, 10));
await run('drain50', (target) => drain(target, n, 50));
await run('drain50log', (target) => drain(target, n, 50, { logEvents: true }));
await run('storedrain', (target) => storeDrain(target, n, 200));
await run('latency', (target) => startLatency(target, samples));
printTable(
  `Durably on ${providerName} (N=${n}${values.smoke ? ', smoke' : ''}; at the end: ${machine()})`,
  figures,
);
writeFileSync(
  values.json!,
  JSON.stringify(
    { at: new Date().toISOString(), provider, machine: machine(), n, samples, smoke: values.smoke, figures },
    null,
    2,
  ),
);
console.log(`\nWrote ${values.json}`);
