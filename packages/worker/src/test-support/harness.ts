import {
  createClient,
  createFakeClock,
  createJobRegistry,
  createMemoryStore,
  resolveOptions,
  type AnyJobDefinition,
  type DurablyEvent,
  type DurablyOptions,
  type DurablyStore,
  type FakeClock,
} from '@durably/core';
import { createWorker } from '../create-worker.js';
import type { Worker } from '../worker.js';
import type { WorkerLogger } from '../worker-logger.js';
import type { ScopeFactory } from '../worker-runtime.js';

export interface LogRecord {
  level: 'debug' | 'info' | 'warn' | 'error';
  fields: Record<string, unknown>;
  message: string;
}

/** A pino-shaped logger that records every call (bindings merged into fields). */
export function createRecordingLogger(records: LogRecord[], bindings: Record<string, unknown> = {}): WorkerLogger {
  const at = (level: LogRecord['level']) => (fields: Record<string, unknown>, message: string) => {
    records.push({ level, fields: { ...bindings, ...fields }, message });
  };
  return {
    debug: at('debug'),
    info: at('info'),
    warn: at('warn'),
    error: at('error'),
    child: (more) => createRecordingLogger(records, { ...bindings, ...more }),
  };
}

export interface HarnessInput {
  jobs: AnyJobDefinition[];
  options?: DurablyOptions;
  /** Fake clock start. Default 2026-01-01T00:00:00Z. */
  start?: string;
  createScope?: ScopeFactory;
  random?: () => number;
  /** Wraps the memory store (to inject faults). */
  wrapStore?: (store: DurablyStore) => DurablyStore;
  store?: DurablyStore;
  clock?: FakeClock;
}

/** A memory store on a fake clock, a worker and a client over it, and everything they emitted. */
export function createHarness(input: HarnessInput) {
  const clock = input.clock ?? createFakeClock(input.start);
  const baseStore = input.store ?? createMemoryStore({ clock });
  const store = input.wrapStore ? input.wrapStore(baseStore) : baseStore;
  const options = resolveOptions({ workerName: 'worker-1', ...input.options });
  const registry = createJobRegistry(input.jobs);
  const events: DurablyEvent[] = [];
  const logs: LogRecord[] = [];
  const worker: Worker = createWorker({
    store,
    registry,
    options,
    clock,
    events: { emit: (event) => events.push(event) },
    logger: createRecordingLogger(logs),
    ...(input.createScope ? { createScope: input.createScope } : {}),
    random: input.random ?? (() => 0.5),
  });
  const client = createClient({ store, registry, options, clock });
  return {
    clock,
    store,
    baseStore,
    options,
    registry,
    worker,
    client,
    events,
    logs,
    /** Event types of one run, in order. */
    eventTypes: (runId: string) => events.filter((event) => 'runId' in event && event.runId === runId).map((event) => event.type),
    errorLogs: () => logs.filter((record) => record.level === 'error'),
    run: async (runId: string) => {
      const run = await baseStore.runGet({ runId });
      if (!run) throw new Error(`run ${runId} not found`);
      return run;
    },
  };
}

export type Harness = ReturnType<typeof createHarness>;

/** A promise with its resolve/reject exposed, for handlers the test releases. */
export function deferred<T = void>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** Resolves after pending microtasks and one macrotask turn (lets fire-and-forget work settle). */
export function tick(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** Stops a worker and asserts that it left no timer behind. */
export async function stopAndCheck(worker: Worker, graceMs = 1_000): Promise<void> {
  await worker.stop({ graceMs });
  if (worker.pendingTimers !== 0) throw new Error(`worker leaked ${worker.pendingTimers} timers`);
}
