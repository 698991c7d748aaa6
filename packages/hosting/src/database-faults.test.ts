/**
 * Database faults with a real PostgreSQL (when DURABLY_TEST_POSTGRES_URL is set; unreachable fails):
 * every connection of the store is killed repeatedly (pg_terminate_backend) while a worker runs.
 * The worker must carry on by itself: no run lost, no unhandled rejection, still running.
 */
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { defineJob } from '@durably/core';
import { createPostgresStore } from '@durably/postgres';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { createDurably } from './create-durably.js';
import { createRecordingLogger, type LogRecord } from './test-support/recording-logger.js';
import { dropTarget, uniqueSchema } from './test-support/test-stores.js';

const url = process.env.DURABLY_TEST_POSTGRES_URL;
const schema = uniqueSchema('faults');
afterAll(async () => {
  if (url) await dropTarget({ provider: 'postgres', url, schema });
});

describe.skipIf(!url)('database faults (postgres)', () => {
  it('survives every connection being killed mid-claim, mid-finish and mid-heartbeat', async () => {
    const applicationName = `durably_faults_${randomBytes(3).toString('hex')}`;
    const store = createPostgresStore({ connectionString: url!, schema, applicationName, poolSize: 4, leasePoolSize: 1 });
    const executions = new Map<string, number>();
    const job = defineJob<number>({
      name: 'fault-tolerant',
      run: async (_payload, ctx) => {
        await sleep(3);
        executions.set(ctx.runId, (executions.get(ctx.runId) ?? 0) + 1);
      },
    });
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    const logs: LogRecord[] = [];
    const durably = await createDurably({
      store, jobs: [job], env: {}, handleSignals: false, logger: createRecordingLogger(logs),
      pollIntervalSeconds: 0.2, leaseDurationSeconds: 5, maxConcurrentRuns: 5, workerName: 'fault-worker',
    });
    const total = 300;
    try {
      await durably.client.enqueueMany(job, Array.from({ length: total }, (_, index) => index));
      const killer = new pg.Client({ connectionString: url! });
      await killer.connect();
      let kills = 0;
      try {
        for (let round = 0; round < 6; round += 1) {
          await sleep(150);
          const result = await killer.query(
            'select pg_terminate_backend(pid) from pg_stat_activity where application_name = $1',
            [applicationName],
          );
          kills += result.rowCount ?? 0;
        }
      } finally {
        await killer.end();
      }
      let succeeded = 0;
      for (let wait = 0; wait < 600 && succeeded < total; wait += 1) {
        await sleep(50);
        succeeded = await durably.store.runCountByStatus({}).then((counts) => counts.succeeded, () => succeeded);
      }
      const duplicates = [...executions.values()].reduce((sum, count) => sum + count - 1, 0);
      const storeErrors = logs.filter((record) => record.level === 'error').length;
      console.log(`[postgres faults] connections killed=${kills}, runs=${total}, succeeded=${succeeded}, executed=${executions.size}, duplicates=${duplicates}, logged store errors=${storeErrors}`);
      expect(kills).toBeGreaterThan(0);
      expect(succeeded).toBe(total);
      expect(executions.size).toBe(total);
      expect(unhandled).toEqual([]);
      expect(durably.worker?.state).toBe('running');
    } finally {
      process.off('unhandledRejection', onUnhandled);
      await durably.stop({ graceMs: 1_000 });
    }
  }, 60_000);
});
