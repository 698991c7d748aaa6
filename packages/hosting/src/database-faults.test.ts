/**
 * Database faults with a real server — PostgreSQL when DURABLY_TEST_POSTGRES_URL is set, MySQL/MariaDB
 * when DURABLY_TEST_MYSQL_URL is set (a set but unreachable URL fails): every connection of the
 * store is killed repeatedly while a worker runs 300 runs. The worker must carry on by itself: no
 * run lost, no unhandled rejection, still running.
 */
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { defineJob, type DurablyStore } from '@durably/core';
import { createMySqlStore } from '@durably/mysql';
import { createPostgresStore } from '@durably/postgres';
import { afterAll, describe, expect, it } from 'vitest';
import { createDurably } from './create-durably.js';
import { createRecordingLogger, type LogRecord } from '@durably/testing';
import { createMySqlDatabase, dropTarget, uniqueSchema, type StoreTarget } from './test-support/test-stores.js';

const postgresUrl = process.env.DURABLY_TEST_POSTGRES_URL;
const mysqlUrl = process.env.DURABLY_TEST_MYSQL_URL;
const created: StoreTarget[] = [];
afterAll(async () => {
  for (const target of created) await dropTarget(target);
});

/** A store plus a way to kill every server connection it holds; returns how many were killed. */
interface FaultTarget {
  store: DurablyStore;
  killAll(): Promise<number>;
}

async function postgresTarget(): Promise<FaultTarget> {
  const { default: pg } = await import('pg');
  const schema = uniqueSchema('faults');
  created.push({ provider: 'postgres', url: postgresUrl!, schema });
  const applicationName = `durably_faults_${randomBytes(3).toString('hex')}`;
  const store = createPostgresStore({ connectionString: postgresUrl!, schema, applicationName, poolSize: 4, leasePoolSize: 1 });
  return {
    store,
    async killAll() {
      const killer = new pg.Client({ connectionString: postgresUrl! });
      await killer.connect();
      try {
        const sql = 'select pg_terminate_backend(pid) from pg_stat_activity where application_name = $1';
        return (await killer.query(sql, [applicationName])).rowCount ?? 0;
      } finally {
        await killer.end();
      }
    },
  };
}

async function mysqlTarget(): Promise<FaultTarget> {
  const { createConnection } = await import('mysql2/promise');
  const target = await createMySqlDatabase(mysqlUrl!, 'faults');
  created.push(target);
  const store = createMySqlStore({ connectionString: target.url, maxConnections: 4 });
  return {
    store,
    async killAll() {
      const killer = await createConnection(mysqlUrl!);
      try {
        const [rows] = await killer.query(
          'select id from information_schema.processlist where db = ? and id <> connection_id()',
          [target.database],
        );
        const ids = (rows as { id: number }[]).map((row) => row.id);
        for (const id of ids) await killer.query(`kill ${Number(id)}`).catch(() => undefined);
        return ids.length;
      } finally {
        await killer.end();
      }
    },
  };
}

const servers = [
  { name: 'postgres', enabled: Boolean(postgresUrl), create: postgresTarget },
  { name: 'mysql', enabled: Boolean(mysqlUrl), create: mysqlTarget },
];

for (const server of servers) {
  describe.skipIf(!server.enabled)(`database faults (${server.name})`, () => {
    it('survives every connection being killed mid-claim, mid-finish and mid-heartbeat', async () => {
      const target = await server.create();
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
        store: target.store, jobs: [job], env: {}, handleSignals: false, logger: createRecordingLogger(logs),
        pollIntervalSeconds: 0.2, leaseDurationSeconds: 5, maxConcurrentRuns: 5, workerName: 'fault-worker',
      });
      const total = 300;
      try {
        await durably.client.enqueueMany(job, Array.from({ length: total }, (_, index) => index));
        let kills = 0;
        for (let round = 0; round < 6; round += 1) {
          await sleep(150);
          kills += await target.killAll();
        }
        let succeeded = 0;
        for (let wait = 0; wait < 600 && succeeded < total; wait += 1) {
          await sleep(50);
          succeeded = await durably.store.runCountByStatus({}).then((counts) => counts.succeeded, () => succeeded);
        }
        const duplicates = [...executions.values()].reduce((sum, count) => sum + count - 1, 0);
        const storeErrors = logs.filter((record) => record.level === 'error').length;
        console.log(
          `[${server.name} faults] connections killed=${kills}, runs=${total}, succeeded=${succeeded}, executed=${executions.size}, duplicates=${duplicates}, logged store errors=${storeErrors}`,
        );
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
}
