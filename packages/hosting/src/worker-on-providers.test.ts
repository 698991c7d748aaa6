/**
 * The worker's behaviour on every store the tests can reach — memory, SQLite, PostgreSQL when
 * DURABLY_TEST_POSTGRES_URL is set, MySQL/MariaDB when DURABLY_TEST_MYSQL_URL is set — with a fake clock (each SQL store takes one for "now"), so the
 * runtime's semantics are checked against real SQL, not only against the memory store.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createFakeClock, createMemoryStore, defineJob, NonRetryableError, type DurablyStore, type FakeClock } from '@durably/core';
import { createMySqlStore } from '@durably/mysql';
import { createPostgresStore } from '@durably/postgres';
import { createSqliteStore } from '@durably/sqlite';
import { drain } from '@durably/testing';
import { silentLogger } from '@durably/worker';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { createDurably, type Durably } from './create-durably.js';
import { createMySqlDatabase, dropTarget, uniqueSchema, type StoreTarget } from './test-support/test-stores.js';

const postgresUrl = process.env.DURABLY_TEST_POSTGRES_URL;
const mysqlUrl = process.env.DURABLY_TEST_MYSQL_URL;
const dir = mkdtempSync(join(tmpdir(), 'durably-providers-'));
const created: StoreTarget[] = [];
afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  for (const target of created) await dropTarget(target);
});

const providers: { name: string; enabled: boolean; create(clock: FakeClock, label: string): Promise<DurablyStore> }[] = [
  { name: 'memory', enabled: true, create: async (clock) => createMemoryStore({ clock }) },
  { name: 'sqlite', enabled: true, create: async (clock, label) => createSqliteStore({ filename: join(dir, `${label}.db`), clock }) },
  {
    name: 'postgres',
    enabled: Boolean(postgresUrl),
    create: async (clock, label) => {
      const schema = uniqueSchema(label.replaceAll('-', '_').slice(0, 20));
      created.push({ provider: 'postgres', url: postgresUrl!, schema });
      return createPostgresStore({ connectionString: postgresUrl!, schema, clock, poolSize: 3, leasePoolSize: 1 });
    },
  },
  {
    name: 'mysql',
    enabled: Boolean(mysqlUrl),
    create: async (clock, label) => {
      const target = await createMySqlDatabase(mysqlUrl!, label.replaceAll('-', '_').slice(0, 20));
      created.push(target);
      return createMySqlStore({ connectionString: target.url, clock, maxConnections: 3 });
    },
  },
];

const release: { resolve?: () => void } = {};
const outcomes = defineJob<{ kind: 'ok' | 'flaky' | 'fatal' | 'snooze' | 'log' | 'wait' }>({
  name: 'outcomes',
  maxAttempts: 2,
  retry: { mode: 'backoff', initialDelaySeconds: 10 },
  run: async (payload, ctx) => {
    if (payload.kind === 'flaky') throw new Error(`flaky attempt ${ctx.attempt}`);
    if (payload.kind === 'fatal') throw new NonRetryableError('fatal');
    if (payload.kind === 'snooze' && ctx.attempt === 1) ctx.snooze('1m');
    if (payload.kind === 'log') {
      for (let line = 1; line <= 60; line += 1) ctx.log(`line ${line}`);
      ctx.progress(75, 'most of it');
    }
    if (payload.kind === 'wait') {
      await new Promise<void>((resolve, reject) => {
        release.resolve = resolve;
        ctx.signal.addEventListener('abort', () => reject(ctx.signal.reason));
      });
    }
  },
});
const hourly = defineJob({ name: 'hourly', recurring: { cron: '0 * * * *' }, run: () => {} });

for (const provider of providers) {
  describe.skipIf(!provider.enabled)(`worker on ${provider.name}`, () => {
    let durably: Durably | undefined;
    afterEach(async () => {
      await durably?.stop({ graceMs: 100 });
      durably = undefined;
    });

    async function start(label: string): Promise<{ durably: Durably; clock: FakeClock }> {
      const clock = createFakeClock('2026-03-01T00:30:00Z');
      durably = await createDurably({
        store: await provider.create(clock, `${provider.name}-${label}`),
        jobs: [outcomes, hourly],
        clock,
        env: {},
        handleSignals: false,
        startWorker: false,
        logger: silentLogger,
        workerName: `w-${provider.name}`,
      });
      return { durably, clock };
    }

    it('success, retry with backoff, terminal failure, NonRetryableError, snooze, logs and progress', async () => {
      const { durably: d, clock } = await start('outcomes');
      const ids = {
        ok: await d.client.enqueue(outcomes, { kind: 'ok' }),
        flaky: await d.client.enqueue(outcomes, { kind: 'flaky' }),
        fatal: await d.client.enqueue(outcomes, { kind: 'fatal' }),
        snooze: await d.client.enqueue(outcomes, { kind: 'snooze' }),
        log: await d.client.enqueue(outcomes, { kind: 'log' }),
      };
      await drain(d);
      const status = async (runId: string) => (await d.store.runGet({ runId }))!;
      expect((await status(ids.ok)).status).toBe('succeeded');
      expect((await status(ids.fatal)).status).toBe('failed');
      const flaky = await status(ids.flaky);
      expect(flaky.status).toBe('waiting_retry');
      expect(flaky.runAt.getTime() - clock.now().getTime()).toBe(10_000);
      const snoozed = await status(ids.snooze);
      expect([snoozed.status, snoozed.maxAttempts]).toEqual(['pending', 3]);
      const logged = await status(ids.log);
      expect([logged.status, logged.progressPercent, logged.progressMessage]).toEqual(['succeeded', 75, 'most of it']);
      expect(await d.store.runLogList({ runId: ids.log, limit: 100 })).toHaveLength(60);

      clock.advance(60_000);
      await drain(d);
      expect((await status(ids.flaky)).status).toBe('failed'); // attempt 2 of 2
      expect((await status(ids.snooze)).status).toBe('succeeded');
      expect((await d.store.attemptList({ runId: ids.flaky })).map((a) => a.outcome)).toEqual(['retry_scheduled', 'failed']);
    });

    it('cancels an active run through its signal; a zombie finish after lease loss changes nothing', async () => {
      const { durably: d, clock } = await start('cancel');
      const worker = d.worker!;
      const cancelled = await d.client.enqueue(outcomes, { kind: 'wait' });
      await worker.runOnce();
      await waitUntil(() => release.resolve !== undefined);
      expect((await d.client.cancel(cancelled)).outcome).toBe('cancel_requested');
      await worker.heartbeatOnce();
      await worker.whenIdle();
      expect((await d.store.runGet({ runId: cancelled }))?.status).toBe('cancelled');

      release.resolve = undefined;
      const zombie = await d.client.enqueue(outcomes, { kind: 'wait' });
      await worker.runOnce();
      await waitUntil(() => release.resolve !== undefined);
      clock.advance(31_000); // the worker "stalled" past its 30 s lease
      await d.store.leaseReapExpired({ limit: 10 });
      await d.store.runClaim({ workerName: 'other', limit: 1, leaseDurationMs: 30_000, jobNames: ['outcomes'] });
      release.resolve!();
      await worker.whenIdle();
      const run = await d.store.runGet({ runId: zombie });
      expect([run?.status, run?.leaseOwner, run?.attempt]).toEqual(['leased', 'other', 2]);
    });

    it('materialises cron slots with skip-missed after downtime', async () => {
      const { durably: d, clock } = await start('cron');
      expect((await d.store.scheduleGet({ jobName: 'hourly' }))?.nextRunAt?.toISOString()).toBe('2026-03-01T01:00:00.000Z');
      clock.set('2026-03-01T04:10:00Z');
      await drain(d);
      const { runs } = await d.store.runList({ jobName: 'hourly', limit: 10 });
      expect(runs.map((run) => [run.slotAt?.toISOString(), run.status])).toEqual([['2026-03-01T04:00:00.000Z', 'succeeded']]);
    });
  });
}

async function waitUntil(condition: () => boolean): Promise<void> {
  for (let wait = 0; wait < 400 && !condition(); wait += 1) await new Promise((resolve) => setTimeout(resolve, 5));
  if (!condition()) throw new Error('condition not met in time');
}
