import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { spawnExactlyOnceProcesses } from '@durably/testing';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';

const fixture = fileURLToPath(new URL('./test-support/exactly-once-process.ts', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'durably-sqlite-mp-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('sqlite: several processes on one file', () => {
  it('2 processes × 2 000 runs (migrating the fresh file at once): every run is claimed and finished exactly once', async () => {
    // A fresh file: the processes also race to migrate it.
    const filename = join(dir, 'shared.db');
    const outputs = await spawnExactlyOnceProcesses({
      script: fixture,
      nodeArguments: ['--conditions=@durably/source', '--import', 'tsx'],
      processes: 2,
      argumentsFor: (index) => [filename, '2000', `proc-${index + 1}`],
      timeoutMs: 120_000,
    });
    expect(outputs.reduce((sum, output) => sum + output.applied, 0)).toBe(4_000);
    const db = new Database(filename, { readonly: true });
    try {
      expect(db.prepare('select status, count(*) as n from durably_runs group by status').all()).toEqual([
        { status: 'succeeded', n: 4_000 },
      ]);
      // One attempt per run, and every run at attempt 1: no run was claimed twice.
      expect(
        db.prepare('select count(*) as n, count(distinct run_id) as runs from durably_attempts').get(),
      ).toEqual({
        n: 4_000,
        runs: 4_000,
      });
      expect(db.prepare('select max(attempt) as top from durably_runs').get()).toEqual({ top: 1 });
    } finally {
      db.close();
    }
  }, 150_000);
});
