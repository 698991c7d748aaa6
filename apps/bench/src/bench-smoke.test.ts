import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

/** Each provider's smoke run, where its database is configured (SQLite always is). */
const providers = [
  { provider: 'postgres', url: process.env.DURABLY_TEST_POSTGRES_URL, env: 'DURABLY_BENCH_POSTGRES_URL' },
  { provider: 'mysql', url: process.env.DURABLY_TEST_MYSQL_URL, env: 'DURABLY_BENCH_MYSQL_URL' },
  { provider: 'sqlite', url: 'file', env: undefined },
];

/**
 * Keeps the benchmark from rotting without making CI depend on timings: `bench --smoke` (N = 500)
 * must run to the end on every configured database and report a positive figure for every scenario.
 */
describe.each(providers)('bench --smoke --provider $provider', ({ provider, url, env }) => {
  it.skipIf(!url)('runs every scenario and writes its figures as JSON', () => {
    const json = join(mkdtempSync(join(tmpdir(), 'durably-bench-')), 'results.json');
    const args = ['--import', 'tsx', 'src/bench.ts', '--smoke', '--provider', provider, '--json', json];
    const result = spawnSync(process.execPath, args, {
      cwd: join(import.meta.dirname, '..'),
      env: { ...process.env, ...(env ? { [env]: url } : {}) },
      encoding: 'utf8',
      timeout: 120_000,
    });
    expect(result.status, result.stderr || result.stdout).toBe(0);
    const report = JSON.parse(readFileSync(json, 'utf8')) as {
      provider: string;
      figures: { metric: string; value: number }[];
    };
    expect(report.provider).toBe(provider);
    const names = report.figures.map((figure) => figure.metric);
    for (const expected of [
      'enqueue one by one',
      'enqueue bulk',
      'drain at concurrency 10',
      'drain at concurrency 50',
      'enqueue→start latency p50',
    ]) {
      expect(
        names.some((name) => name.startsWith(expected)),
        `${expected} in ${names.join(', ')}`,
      ).toBe(true);
    }
    for (const figure of report.figures) expect(figure.value, figure.metric).toBeGreaterThan(0);
  });
});
