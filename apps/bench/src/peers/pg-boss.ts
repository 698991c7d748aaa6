import { createCountConnection } from './count-connection.js';
import { dropSchema } from './durably.js';
import { loadPeer, type BenchPayload, type PeerAdapter, type PeerTarget } from './peer-adapter.js';

/** The members of pg-boss 12.38 this adapter uses. */
interface PgBossInstance {
  on(event: 'error', listener: (error: unknown) => void): void;
  start(): Promise<unknown>;
  stop(options?: Record<string, unknown>): Promise<void>;
  createQueue(name: string, options?: Record<string, unknown>): Promise<void>;
  send(name: string, data: object): Promise<unknown>;
  insert(name: string, jobs: readonly { data: object }[]): Promise<unknown>;
  work(
    name: string,
    options: Record<string, unknown>,
    handler: (jobs: readonly { data: BenchPayload }[]) => Promise<void>,
  ): Promise<string>;
}
type PgBossModule = { PgBoss: new (options: Record<string, unknown>) => PgBossInstance };

const POOL_SIZE = 10;

/**
 * pg-boss with a notifying queue (LISTEN/NOTIFY wake-ups), batch fetches, burst fetching while
 * batches come back full, the shortest poll interval allowed, and `insert` for bulk enqueues.
 * Completed jobs stay in the job table (history kept, like Durably).
 */
export function createPgBossAdapter(target: PeerTarget): PeerAdapter {
  const counter = createCountConnection(target.postgresUrl);
  let boss!: PgBossInstance;
  let workerBoss: PgBossInstance | undefined;
  let PgBoss!: PgBossModule['PgBoss'];
  const open = async () => {
    const instance = new PgBoss({
      connectionString: target.postgresUrl,
      schema: target.schema,
      max: POOL_SIZE,
      schedule: false,
      useListenNotify: true,
    });
    instance.on('error', (error) => console.error('pg-boss:', error));
    await instance.start();
    return instance;
  };
  return {
    name: 'pg-boss 12.38.0',
    settings: `max ${POOL_SIZE} connections, useListenNotify true, queue notify true, work batchSize = concurrency with localConcurrency 1 (faster here than 10 per fetch × concurrency/10 loops), burstWhenBatchFull true, pollingIntervalSeconds 0.5, schedule false, send / insert, completed jobs kept`,
    async setup() {
      ({ PgBoss } = await loadPeer<PgBossModule>('pg-boss'));
      await dropSchema(target);
      boss = await open();
      await boss.createQueue('noop', { notify: true });
    },
    async enqueueOne(payload) {
      await boss.send('noop', payload);
    },
    async enqueueBulk(count) {
      await boss.insert(
        'noop',
        Array.from({ length: count }, () => ({ data: {} })),
      );
    },
    async startWorker(concurrency, onStart) {
      workerBoss = await open();
      // One fetch loop taking `concurrency` jobs per fetch: at most `concurrency` jobs in flight.
      await workerBoss.work(
        'noop',
        {
          batchSize: concurrency,
          localConcurrency: 1,
          burstWhenBatchFull: true,
          pollingIntervalSeconds: 0.5,
        },
        async (jobs) => {
          for (const job of jobs) onStart(job.data);
        },
      );
    },
    async countDone() {
      return await counter.count(
        `select count(*)::int as n from "${target.schema}".job where state = 'completed'`,
      );
    },
    async teardown() {
      await counter.close();
      await workerBoss?.stop({ graceful: false, wait: true });
      await boss?.stop({ graceful: false, wait: true });
      await dropSchema(target);
    },
  };
}
