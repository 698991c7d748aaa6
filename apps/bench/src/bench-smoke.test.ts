import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const postgresUrl = process.env.DURABLY_TEST_POSTGRES_URL;

/**
 * Keeps the benchmark from rotting without making CI depend on timings: `bench --smoke` (N = 500)
 * must run to the end against the test PostgreSQL and report a positive figure for every scenario.
 */
describe.skipIf(!postgresUrl)('bench --smoke', () => {
  it('runs every scenario and writes its figures as JSON', () => {
    const json = join(mkdtempSync(join(tmpdir(), 'durably-bench-')), 'results.json');
    const result = spawnSync(process.execPath, ['--import', 'tsx', 'src/bench.ts', '--smoke', '--json', json], {
      cwd: join(import.meta.dirname, '..'),
      env: { ...process.env, DURABLY_BENCH_POSTGRES_URL: postgresUrl },
      encoding: 'utf8',
      timeout: 120_000,
    });
    expect(result.status, result.stderr || result.stdout).toBe(0);
    const report = JSON.parse(readFileSync(json, 'utf8')) as { figures: { metric: string; value: number }[] };
    const names = report.figures.map((figure) => figure.metric);
    for (const expected of ['enqueue one by one', 'enqueue bulk', 'drain at concurrency 10', 'drain at concurrency 50', 'enqueue→start latency p50']) {
      expect(names.some((name) => name.startsWith(expected)), `${expected} in ${names.join(', ')}`).toBe(true);
    }
    for (const figure of report.figures) expect(figure.value, figure.metric).toBeGreaterThan(0);
  }, 150_000);
});
