import { fileURLToPath } from 'node:url';
import { spawnExactlyOnceProcesses } from '@durably/testing';
import { createConnection } from 'mysql2/promise';
import { describe, expect, it } from 'vitest';
import { createMySqlStore } from './mysql-store.js';
import { mysqlSkipReason, mysqlTestUrl, useFreshMySqlDatabase } from './test-support/mysql-test-database.js';

const worker = fileURLToPath(new URL('./test-support/mysql-exactly-once-worker.ts', import.meta.url));
/** Processes and runs per process (the figure: 4 × 10 000). */
const processes = 4;
const runsPerProcess = Number(process.env.DURABLY_TEST_MYSQL_MP_RUNS ?? 10_000);
const total = processes * runsPerProcess;

describe.skipIf(!mysqlTestUrl)(
  mysqlTestUrl ? 'mysql: several processes on one database' : `mysql: several processes (${mysqlSkipReason})`,
  () => {
    const testDatabase = useFreshMySqlDatabase();

    it(`${processes} processes × ${runsPerProcess} runs: every run is claimed and finished exactly once`, async () => {
      const database = testDatabase();
      const setup = createMySqlStore({ connectionString: database.url, tablePrefix: 'mp_' });
      await setup.migrate();
      await setup.close();
      const started = Date.now();
      const outputs = await spawnExactlyOnceProcesses({
        script: worker,
        nodeArguments: ['--conditions=@durably/source', '--import', 'tsx'],
        processes,
        argumentsFor: (index) => [database.url, 'mp_', String(runsPerProcess), `proc-${index + 1}`],
      });
      const elapsedMs = Date.now() - started;
      console.info(
        `mysql multi-process: ${processes} × ${runsPerProcess} runs in ${elapsedMs} ms (claim phases ${outputs.map((o) => o.claimMs).join(', ')} ms)`,
      );
      expect(outputs.reduce((sum, output) => sum + output.applied, 0)).toBe(total);
      const client = await createConnection({ uri: database.url });
      try {
        const [statuses] = await client.query(
          'select status, count(*) as n from mp_durably_runs group by status',
        );
        expect(statuses).toEqual([{ status: 'succeeded', n: total }]);
        // One attempt per run and every run at attempt 1: no run was claimed twice.
        const [attempts] = await client.query(
          'select count(*) as n, count(distinct run_id) as runs, max(attempt) as top from mp_durably_attempts',
        );
        expect(attempts).toEqual([{ n: total, runs: total, top: 1 }]);
        const [runs] = await client.query(
          'select max(attempt) as top, min(attempt) as bottom from mp_durably_runs',
        );
        expect(runs).toEqual([{ top: 1, bottom: 1 }]);
      } finally {
        await client.end();
      }
    }, 180_000);
  },
);
