/**
 * Child process of the comparison: runs one metric for one system on a fresh schema and prints
 * `RESULT <json>` on its last line. Started by `compare.ts` under the peers' Node 24; not meant
 * to be run by hand (but can be, with the same flags).
 */
import { parseArgs } from 'node:util';
import { createAdapter } from '../peers/create-adapter.js';
import { METRICS, runMetric, type MetricName } from './compare-metrics.js';

const { values } = parseArgs({
  options: {
    system: { type: 'string' },
    metric: { type: 'string' },
    n: { type: 'string' },
    samples: { type: 'string' },
    postgres: { type: 'string' },
    'redis-port': { type: 'string', default: '0' },
  },
});
if (!METRICS.includes(values.metric as MetricName)) {
  throw new Error(`--metric must be one of ${METRICS.join(', ')}`);
}
const system = values.system ?? '';
const metric = values.metric as MetricName;
const adapter = createAdapter(system, {
  postgresUrl: values.postgres!,
  schema: `bench_cmp_${system.replace(/\W/g, '_')}_${process.pid}`,
  redisPort: Number(values['redis-port']),
});
try {
  await adapter.setup();
  const result = await runMetric(adapter, metric, { n: Number(values.n), samples: Number(values.samples) });
  const node = process.version;
  console.log(
    `RESULT ${JSON.stringify({ system, metric, node, name: adapter.name, settings: adapter.settings, result })}`,
  );
} finally {
  await adapter.teardown();
}
// Some clients keep timers (heartbeats, reconnects) after closing; the result is out, so leave.
process.exit(0);
