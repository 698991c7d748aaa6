import { loadPeer, type BenchPayload, type PeerAdapter, type PeerTarget } from './peer-adapter.js';

/** The members of BullMQ 6.7 this adapter uses. */
interface BullQueue {
  add(name: string, data: object): Promise<unknown>;
  addBulk(jobs: readonly { name: string; data: object }[]): Promise<unknown>;
  getCompletedCount(): Promise<number>;
  close(): Promise<void>;
}
interface BullModule {
  Queue: new (name: string, options: Record<string, unknown>) => BullQueue;
  Worker: new (
    name: string,
    processor: (job: { data: BenchPayload }) => Promise<void>,
    options: Record<string, unknown>,
  ) => { close(): Promise<void>; waitUntilReady(): Promise<unknown> };
}
/** The members of ioredis 5 this adapter uses (BullMQ's Redis client). */
interface RedisClient {
  flushdb(): Promise<unknown>;
  quit(): Promise<unknown>;
}
type IoRedisModule = { Redis: new (options: Record<string, unknown>) => RedisClient };

/** Empties the comparison's own Redis (it holds nothing else). */
async function flushRedis(connection: Record<string, unknown>): Promise<void> {
  const { Redis } = await loadPeer<IoRedisModule>('ioredis');
  const redis = new Redis(connection);
  try {
    await redis.flushdb();
  } finally {
    await redis.quit();
  }
}

/**
 * BullMQ on a Redis the comparison starts itself, without persistence (`--save "" --appendonly no`):
 * an acknowledged job is in memory only, so it is not durable like the PostgreSQL systems' jobs.
 * Completed jobs are kept (BullMQ's default), like Durably's history.
 */
export function createBullmqAdapter(target: PeerTarget): PeerAdapter {
  let bull!: BullModule;
  let queue!: BullQueue;
  let worker: { close(): Promise<void> } | undefined;
  const connection = { host: '127.0.0.1', port: target.redisPort, maxRetriesPerRequest: null };
  return {
    name: 'BullMQ 6.7.0 (Redis)',
    settings: `Redis on 127.0.0.1:${target.redisPort} with --save "" --appendonly no (not durable), Worker concurrency = concurrency, add / addBulk, completed jobs kept`,
    async setup() {
      bull = await loadPeer<BullModule>('bullmq');
      await flushRedis(connection);
      queue = new bull.Queue('noop', { connection });
    },
    async enqueueOne(payload) {
      await queue.add('noop', payload);
    },
    async enqueueBulk(count) {
      await queue.addBulk(Array.from({ length: count }, () => ({ name: 'noop', data: {} })));
    },
    async startWorker(concurrency, onStart) {
      const started = new bull.Worker('noop', async (job) => onStart(job.data), { connection, concurrency });
      await started.waitUntilReady();
      worker = started;
    },
    async countDone() {
      return queue.getCompletedCount();
    },
    async teardown() {
      await worker?.close();
      await queue?.close();
      await flushRedis(connection);
    },
  };
}
