import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { createFakeClock } from '@durably/core';
import { newRun as newRunFixture } from '@durably/testing';
import { describe, expect, it } from 'vitest';
import { createMySqlStore } from './mysql-store.js';
import { mysqlSkipReason, mysqlTestUrl, useFreshMySqlDatabase } from './test-support/mysql-test-database.js';

const run = promisify(execFile);
const worker = fileURLToPath(new URL('./test-support/mysql-crash-worker.ts', import.meta.url));
const newRun = newRunFixture({ jobName: 'crash.job' });

describe.skipIf(!mysqlTestUrl)(
  mysqlTestUrl ? 'mysql: a worker process killed mid-run' : `mysql: crash recovery (${mysqlSkipReason})`,
  () => {
    const testDatabase = useFreshMySqlDatabase();

    it('loses no run: its leases expire on the database clock, are reaped, and the runs finish on attempt 2', async () => {
      const database = testDatabase();
      const setup = createMySqlStore({ connectionString: database.url, tablePrefix: 'cr_' });
      await setup.migrate();
      await setup.runInsertMany({ runs: Array.from({ length: 10 }, () => newRun) });
      const child = await run(
        process.execPath,
        ['--conditions=@durably/source', '--import', 'tsx', worker, database.url, 'cr_'],
        {
          timeout: 60_000,
        },
      ).then(
        () => undefined,
        (error: { signal?: string; stdout?: string }) => error,
      );
      expect(child?.signal).toBe('SIGKILL');
      const claimed = JSON.parse(child!.stdout!) as string[];
      expect(claimed).toHaveLength(10);
      // Before the lease ends nothing is reaped; 2 minutes later (on the database's own clock) all are.
      expect(await setup.leaseReapExpired({ limit: 100 })).toEqual([]);
      const later = createFakeClock(new Date((await setup.clockNow()).getTime() + 120_000).toISOString());
      await setup.close();
      const survivor = createMySqlStore({ connectionString: database.url, tablePrefix: 'cr_', clock: later });
      try {
        const reaped = await survivor.leaseReapExpired({ limit: 100 });
        expect(reaped.map((r) => r.runId).sort()).toEqual([...claimed].sort());
        expect(new Set(reaped.map((r) => `${r.workerName}/${r.attempt}/${r.status}`))).toEqual(
          new Set(['doomed/1/pending']),
        );
        const again = await survivor.runClaim({
          workerName: 'survivor',
          limit: 100,
          leaseDurationMs: 30_000,
          jobNames: ['crash.job'],
        });
        expect(again.map((c) => c.run.attempt)).toEqual(Array(10).fill(2));
        await survivor.runFinishMany({
          finishes: again.map((c) => ({
            runId: c.run.runId,
            workerName: 'survivor',
            attempt: 2,
            outcome: { type: 'succeeded' as const },
          })),
        });
        expect((await survivor.runCountByStatus({})).succeeded).toBe(10);
        const history = await survivor.attemptList({ runId: claimed[0]! });
        expect(history.map((a) => `${a.attempt}:${a.workerName}:${a.outcome}`)).toEqual([
          '1:doomed:lease_expired',
          '2:survivor:succeeded',
        ]);
      } finally {
        await survivor.close();
      }
    }, 90_000);
  },
);
