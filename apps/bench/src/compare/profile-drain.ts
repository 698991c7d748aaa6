/**
 * Where a metric's time goes, per system: runs one metric (default `drain-50`) once while counting
 * every SQL statement the process sends (both the workspace's and the peers' `pg`), grouped by its
 * first words, with the client-side time each group took. For drains only the drain is counted
 * (not the enqueues before it). Prints statements per job.
 *
 *   <node 24> --import tsx src/compare/profile-drain.ts \
 *     --system durably --metric drain-50 --n 20000 [--cpu-profile drain.cpuprofile]
 *
 * `--cpu-profile PATH` writes a CPU profile of the counted part only (for a drain: from the worker's
 * start), which `node --cpu-prof` cannot do: it would include the untimed enqueues.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import inspector from 'node:inspector';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { cliArgs } from '../cli-args.js';
import pg from 'pg';
import { createAdapter } from '../peers/create-adapter.js';
import { loadPeer } from '../peers/peer-adapter.js';
import { runMetric, type MetricName } from './compare-metrics.js';

const { values } = parseArgs({
  args: cliArgs(),
  options: {
    system: { type: 'string', default: 'durably' },
    metric: { type: 'string', default: 'drain-50' },
    n: { type: 'string', default: '20000' },
    postgres: { type: 'string', default: 'postgres://postgres@127.0.0.1:5432/test' },
    'cpu-profile': { type: 'string' },
  },
});
const groups = new Map<string, { count: number; ms: number }>();
let counting = false;

/** Wraps `Client.prototype.query` of one `pg` module to count statements while `counting`. */
function countQueries(module: { Client: { prototype: { query: (...args: unknown[]) => unknown } } }): void {
  const original = module.Client.prototype.query;
  module.Client.prototype.query = function (this: unknown, ...args: unknown[]) {
    const first = args[0];
    const text = typeof first === 'string' ? first : ((first as { text?: string } | undefined)?.text ?? '?');
    const key = text.replace(/\s+/g, ' ').trim().slice(0, 90);
    const began = performance.now();
    const result = original.apply(this, args);
    if (counting && result instanceof Promise) {
      void result
        .finally(() => {
          const group = groups.get(key) ?? { count: 0, ms: 0 };
          group.count += 1;
          group.ms += performance.now() - began;
          groups.set(key, group);
        })
        .catch(() => {});
    }
    return result;
  };
}

/** CPU time (user + system) of every `postgres` process on this machine so far, in ms (Linux). */
function postgresCpuMs(): number {
  let ticks = 0;
  for (const pid of readdirSync('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      if (!stat.includes('(postgres)')) continue;
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      ticks += Number(fields[11]) + Number(fields[12]); // utime, stime
    } catch {
      // the process ended meanwhile
    }
  }
  return ticks * 10; // USER_HZ is 100 on Linux
}

const profiler = cpuProfiler(values['cpu-profile']);

/** Starts and stops V8's CPU profiler through the inspector, writing the profile to `path`. */
function cpuProfiler(path: string | undefined) {
  const session = new inspector.Session();
  const post = (method: string) =>
    new Promise<unknown>((resolve, reject) =>
      session.post(method, (error, result) => (error ? reject(error) : resolve(result))),
    );
  let started = false;
  return {
    async start() {
      if (!path || started) return;
      started = true;
      session.connect();
      await post('Profiler.enable');
      await post('Profiler.start');
    },
    async stop() {
      if (!started) return;
      const { profile } = (await post('Profiler.stop')) as { profile: unknown };
      writeFileSync(path!, JSON.stringify(profile));
      session.disconnect();
      console.log(`wrote the CPU profile to ${path}`);
    },
  };
}

countQueries(pg as never);
countQueries(((await loadPeer<{ default: unknown }>('pg')).default ?? {}) as never);
const n = Number(values.n);
const system = values.system!;
const adapter = createAdapter(system, {
  postgresUrl: values.postgres!,
  schema: `bench_prof_${process.pid}`,
  redisPort: 0,
});
await adapter.setup();
const metric = values.metric as MetricName;
counting = !metric.startsWith('drain');
// A drain enqueues untimed first: count only from the worker's start.
const startWorker = adapter.startWorker.bind(adapter);
adapter.startWorker = async (c, onStart) => {
  counting = true;
  cpuAtStart = { node: process.cpuUsage(), postgres: postgresCpuMs() };
  await profiler.start();
  return startWorker(c, onStart);
};
if (counting) await profiler.start();
let cpuAtStart = { node: process.cpuUsage(), postgres: postgresCpuMs() };
const [figure] = await runMetric(adapter, metric, { n, samples: n });
counting = false;
await profiler.stop();
const nodeCpu = process.cpuUsage(cpuAtStart.node);
const nodeCpuMs = (nodeCpu.user + nodeCpu.system) / 1000;
const postgresCpu = postgresCpuMs() - cpuAtStart.postgres;
await adapter.teardown();
console.log(`${system}: ${figure!.figure} = ${figure!.value.toFixed(0)} jobs/s (N=${n})`);
const sorted = [...groups.entries()].sort((a, b) => b[1].count - a[1].count);
const total = sorted.reduce((sum, [, g]) => sum + g.count, 0);
console.log(`${total} statements, ${(total / n).toFixed(3)} per job`);
console.log(
  `CPU per job: this process ${((nodeCpuMs * 1000) / n).toFixed(1)} µs, PostgreSQL server processes ${((postgresCpu * 1000) / n).toFixed(1)} µs`,
);
for (const [key, g] of sorted.slice(0, 15)) {
  console.log(
    `${String(g.count).padStart(7)}  ${(g.count / n).toFixed(3)}/job  ${(g.ms / g.count).toFixed(2)} ms avg  ${key}`,
  );
}
process.exit(0);
