import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { fixtureConfig, waitFor } from './test-support/cli-harness.js';
import { builtBin, sourceBin, spawnCli } from './test-support/spawn-cli.js';

// A few runs of the real executable: exit codes as a shell sees them, stderr without stack traces,
// and signal handling of `durably worker`.
describe('the durably executable', () => {
  const dir = mkdtempSync(join(tmpdir(), 'durably-bin-'));
  const env = { DURABLY_DATABASE_URL: `sqlite:${join(dir, 'durably.db')}` };
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('prints help and exits 0', async () => {
    const run = spawnCli(sourceBin, ['--help'], {});
    expect(await run.exited).toBe(0);
    expect(run.stdout()).toContain('Usage: durably <command>');
  });

  it('exits 2 with one line and no stack trace for a bad URL', async () => {
    const run = spawnCli(sourceBin, ['status', '--database-url', 'mongodb://x'], {});
    expect(await run.exited).toBe(2);
    expect(run.stderr().trim().split('\n')).toHaveLength(1);
    expect(run.stderr()).toContain('--database-url');
    expect(run.stderr()).not.toContain('    at ');
  });

  it('exits 3 for an unknown run id', async () => {
    expect(await spawnCli(sourceBin, ['migrate'], env).exited).toBe(0);
    const run = spawnCli(sourceBin, ['runs', 'show', 'missing-run'], env);
    expect(await run.exited).toBe(3);
    expect(run.stderr()).toContain('No run with id "missing-run"');
  });

  it('runs a worker until SIGTERM, drains and exits 0', async () => {
    const worker = spawnCli(sourceBin, ['worker', '--config', fixtureConfig], {
      ...env,
      DURABLY_WORKER_NAME: 'bin-test',
    });
    await waitFor(
      'the worker to start',
      async () => {
        if (worker.child.exitCode !== null) throw new Error(`worker exited: ${worker.stderr()}`);
        return worker.stdout().includes('worker started; Ctrl-C to stop') ? true : undefined;
      },
      30_000,
    );
    worker.child.kill('SIGTERM');
    expect(await worker.exited).toBe(0);
    expect(worker.stdout()).toContain('worker stopped');
    expect(worker.stderr()).toBe('');
  });

  // CI builds before testing; locally this runs once `pnpm build` has built this package and the
  // ones it loads for SQLite.
  const built = [
    builtBin,
    ...['core', 'hosting', 'sqlite', 'sql'].map((name) =>
      fileURLToPath(new URL(`../../${name}/dist/index.js`, import.meta.url)),
    ),
  ];
  it.skipIf(!built.every((file) => existsSync(file)))('works as the built bin with a shebang', async () => {
    expect(readFileSync(builtBin, 'utf8').startsWith('#!/usr/bin/env node\n')).toBe(true);
    const run = spawnCli([builtBin], ['status', '--json'], env);
    expect(await run.exited).toBe(0);
    expect(JSON.parse(run.stdout())).toMatchObject({ provider: 'sqlite', counts: { pending: 0 } });
  });
});
