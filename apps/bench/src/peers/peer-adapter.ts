import { fileURLToPath, pathToFileURL } from 'node:url';

/** A job's payload in the comparison: `t` is the enqueue time (ms since the epoch) for latency runs. */
export interface BenchPayload {
  t?: number;
}

/** Where an adapter runs: the PostgreSQL URL, a fresh schema name and, for BullMQ, the Redis port. */
export interface PeerTarget {
  postgresUrl: string;
  schema: string;
  redisPort: number;
}

/**
 * One job system driven by the comparison. Every metric uses the same few calls, so each
 * system runs exactly the same workload; `settings` says which options the adapter uses.
 */
export interface PeerAdapter {
  /** Shown in the table, e.g. `graphile-worker 0.18.0`. */
  readonly name: string;
  /** The options this adapter sets (its documented fast settings), printed with the results. */
  readonly settings: string;
  /** Creates the system's tables/queues on a fresh schema (or flushes its Redis). */
  setup(): Promise<void>;
  /** Enqueues one no-op job; resolves once the system has acknowledged it (durably, for PostgreSQL). */
  enqueueOne(payload: BenchPayload): Promise<void>;
  /** Enqueues `count` no-op jobs in one call. */
  enqueueBulk(count: number): Promise<void>;
  /** Starts a worker running `concurrency` jobs at a time; `onStart` is called as each job starts. */
  startWorker(concurrency: number, onStart: (payload: BenchPayload) => void): Promise<void>;
  /** How many jobs the system has recorded as finished (completed jobs that it deletes count too). */
  countDone(): Promise<number>;
  /** Stops the worker and producer, closes connections and drops the schema. */
  teardown(): Promise<void>;
}

/** The folder of the separate npm project holding the peers and Node 24. */
export const peersDir = fileURLToPath(new URL('../../peers/', import.meta.url));

/**
 * Imports a peer package from `apps/bench/peers/node_modules`. Typed loosely on purpose: the peers'
 * own types are not installed with the workspace, so each adapter declares the few members it uses.
 */
export async function loadPeer<T>(name: string): Promise<T> {
  const loader = (await import(pathToFileURL(`${peersDir}load-peer.js`).href)) as {
    loadPeer(name: string): Promise<T>;
  };
  return loader.loadPeer(name);
}

/** A logger that drops everything (peers' and Durably's logs would distort the timings). */
export const silentLogger = {
  level: 'silent',
  info() {},
  warn() {},
  error() {},
  debug() {},
  trace() {},
  fatal() {},
  child() {
    return silentLogger;
  },
};
