import { createCountConnection } from './count-connection.js';
import { dropSchema } from './durably.js';
import { loadPeer, type BenchPayload, type PeerAdapter, type PeerTarget } from './peer-adapter.js';

/** The members of graphile-worker 0.18 this adapter uses. */
interface GraphileWorker {
  makeWorkerUtils(options: Record<string, unknown>): Promise<{
    migrate(): Promise<void>;
    addJob(identifier: string, payload: unknown): Promise<unknown>;
    addJobs(specs: readonly { identifier: string; payload: unknown }[]): Promise<unknown>;
    release(): Promise<void>;
  }>;
  run(options: Record<string, unknown>): Promise<{ stop(): Promise<void> }>;
  Logger: new (factory: () => () => void) => unknown;
}

const POOL_SIZE = 10;
const LOCAL_QUEUE_SIZE = 500;

/**
 * graphile-worker with the settings of its performance page: a local queue that fetches jobs in
 * batches, batched completions and failures (delay 0), Node's clock instead of the database's.
 * Completed jobs are deleted (graphile-worker keeps no history), so "done" = enqueued − left.
 */
export function createGraphileWorkerAdapter(target: PeerTarget): PeerAdapter {
  const counter = createCountConnection(target.postgresUrl);
  let gw!: GraphileWorker;
  let utils!: Awaited<ReturnType<GraphileWorker['makeWorkerUtils']>>;
  let runner: { stop(): Promise<void> } | undefined;
  let enqueued = 0;
  const shared = () => ({
    connectionString: target.postgresUrl,
    schema: target.schema,
    useNodeTime: true,
    logger: new gw.Logger(() => () => {}),
  });
  return {
    name: 'graphile-worker 0.18.0',
    settings: `maxPoolSize ${POOL_SIZE}, concurrency = concurrency, localQueue.size ${LOCAL_QUEUE_SIZE}, completeJobBatchDelay 0, failJobBatchDelay 0, useNodeTime true, pollInterval 2000 ms (LISTEN/NOTIFY wakes), addJob / addJobs`,
    async setup() {
      gw = await loadPeer<GraphileWorker>('graphile-worker');
      await dropSchema(target);
      utils = await gw.makeWorkerUtils({ ...shared(), maxPoolSize: POOL_SIZE });
      await utils.migrate();
    },
    async enqueueOne(payload) {
      enqueued += 1;
      await utils.addJob('noop', payload);
    },
    async enqueueBulk(count) {
      enqueued += count;
      await utils.addJobs(Array.from({ length: count }, () => ({ identifier: 'noop', payload: {} })));
    },
    async startWorker(concurrency, onStart) {
      runner = await gw.run({
        ...shared(),
        concurrency,
        noHandleSignals: true,
        pollInterval: 2_000,
        taskList: { noop: async (payload: BenchPayload) => onStart(payload) },
        preset: {
          worker: {
            maxPoolSize: POOL_SIZE,
            localQueue: { size: LOCAL_QUEUE_SIZE },
            completeJobBatchDelay: 0,
            failJobBatchDelay: 0,
          },
        },
      });
    },
    async countDone() {
      return (
        enqueued - (await counter.count(`select count(*)::int as n from "${target.schema}"._private_jobs`))
      );
    },
    async teardown() {
      await counter.close();
      await runner?.stop();
      await utils?.release();
      await dropSchema(target);
    },
  };
}
