import { spawn } from 'node:child_process';
import type { MetricName, MetricValue } from './compare-metrics.js';

/** What one child run reports. */
export interface ChildResult {
  system: string;
  metric: MetricName;
  node: string;
  name: string;
  settings: string;
  result: MetricValue[];
}

/** How to start a child: the Node binary, the bench folder (cwd) and the shared flags. */
export interface ChildLaunch {
  node: string;
  cwd: string;
  postgresUrl: string;
  redisPort: number;
  n: number;
  samples: number;
  timeoutMs: number;
}

/**
 * Runs `run-metric.ts` for one system and metric in its own process (so no system inherits
 * another's pools, timers or garbage). Rejects with the child's output tail if it fails or times out.
 */
export function runChild(launch: ChildLaunch, system: string, metric: MetricName): Promise<ChildResult> {
  const args = [
    '--import',
    'tsx',
    'src/compare/run-metric.ts',
    ...['--system', system, '--metric', metric, '--n', String(launch.n), '--samples', String(launch.samples)],
    ...['--postgres', launch.postgresUrl, '--redis-port', String(launch.redisPort)],
  ];
  return new Promise((resolve, reject) => {
    const child = spawn(launch.node, args, { cwd: launch.cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), launch.timeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      const line = output.split('\n').find((l) => l.startsWith('RESULT '));
      if (code === 0 && line) resolve(JSON.parse(line.slice('RESULT '.length)) as ChildResult);
      else {
        const why =
          signal === 'SIGKILL'
            ? `timed out after ${launch.timeoutMs / 1000} s`
            : `exited with ${code ?? signal}`;
        reject(new Error(`${system} ${metric} ${why}: ${output.slice(-1500)}`));
      }
    });
  });
}
