/**
 * A real worker process for the crash/scale/shutdown tests. Usage:
 *   node --conditions=@durably/source --import tsx worker-process.ts '<json config>'
 * It runs `createDurably` with SIGTERM handling on, appends one line per handler start and finish to
 * its own ledger file (`start|done <runId> <attempt> <worker>`; one file per process, so appends
 * never interleave), and prints `ready` once its worker runs.
 */
import { appendFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { defineJob, type DurablyOptions } from '@durably/core';
import { pino } from 'pino';
import { createDurably } from '../create-durably.js';
import { openStore, type StoreTarget } from './test-stores.js';

/** What the `work` job does: hang (until aborted) on one attempt, otherwise sleep a little and finish. */
export interface WorkPayload {
  id: number;
  hangOnAttempt?: number;
  sleepMs?: number;
}

export interface WorkerProcessConfig {
  target: StoreTarget;
  workerName: string;
  ledger: string;
  options?: DurablyOptions;
}

export const workJob = defineJob<WorkPayload>({
  name: 'work',
  maxAttempts: 5,
  run: async (payload, ctx) => {
    record('start', ctx.runId, ctx.attempt);
    if (payload.hangOnAttempt === ctx.attempt) {
      await new Promise((_resolve, reject) => ctx.signal.addEventListener('abort', () => reject(ctx.signal.reason)));
    }
    if (payload.sleepMs) await sleep(payload.sleepMs, undefined, { signal: ctx.signal });
    record('done', ctx.runId, ctx.attempt);
  },
});

/** A poison pill: its handler kills its own worker process (SIGKILL), on every attempt. */
export const poisonJob = defineJob({
  name: 'poison',
  maxAttempts: 2,
  run: (_payload, ctx) => {
    record('start', ctx.runId, ctx.attempt);
    process.kill(process.pid, 'SIGKILL');
  },
});

let config: WorkerProcessConfig | undefined;

function record(event: 'start' | 'done', runId: string, attempt: number): void {
  appendFileSync(config!.ledger, `${event} ${runId} ${attempt} ${config!.workerName}\n`);
}

async function main(): Promise<void> {
  config = JSON.parse(process.argv[2] ?? '') as WorkerProcessConfig;
  const durably = await createDurably({
    store: openStore(config.target),
    jobs: [workJob, poisonJob],
    env: {},
    logger: pino({ level: process.env.DURABLY_TEST_CHILD_LOG ?? 'warn' }, pino.destination(2)),
    workerName: config.workerName,
    migrate: false,
    ...config.options,
  });
  void durably;
  process.stdout.write('ready\n');
}

// Only when started by spawnWorker: test files import workJob from here too.
if (process.env.DURABLY_TEST_WORKER_PROCESS === '1') {
  main().catch((error: unknown) => {
    process.stderr.write(`worker process failed: ${String(error instanceof Error ? error.stack : error)}\n`);
    process.exit(1);
  });
}
