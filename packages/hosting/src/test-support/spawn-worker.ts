import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { WorkerProcessConfig } from './worker-process.js';

const script = fileURLToPath(new URL('./worker-process.ts', import.meta.url));

/** A started worker process. */
export interface WorkerChild {
  child: ChildProcess;
  name: string;
  /** Resolves with how it ended. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  stderr(): string;
}

/** Starts a worker process and resolves once it printed `ready` (rejects if it dies first, unless `mayDieEarly`). */
export async function spawnWorker(
  config: WorkerProcessConfig,
  options: { readyTimeoutMs?: number; mayDieEarly?: boolean } = {},
): Promise<WorkerChild> {
  const readyTimeoutMs = options.readyTimeoutMs ?? 30_000;
  const child = spawn(process.execPath, ['--conditions=@durably/source', '--import', 'tsx', script, JSON.stringify(config)], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, DURABLY_TEST_WORKER_PROCESS: '1' },
  });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`worker ${config.workerName} not ready in time: ${stderr}`)), readyTimeoutMs);
    child.stdout!.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('ready')) {
        clearTimeout(timer);
        resolve();
      }
    });
    void exited.then(({ code, signal }) => {
      clearTimeout(timer);
      if (options.mayDieEarly) resolve();
      else reject(new Error(`worker ${config.workerName} exited (${code ?? signal}) before ready: ${stderr}`));
    });
  });
  return { child, name: config.workerName, exited, stderr: () => stderr };
}

/** One ledger line: a handler started or finished an attempt. */
export interface LedgerEntry {
  event: 'start' | 'done';
  runId: string;
  attempt: number;
  worker: string;
}

/** Reads every ledger file given (missing files count as empty). */
export function readLedgers(files: readonly string[]): LedgerEntry[] {
  return files.flatMap((file) =>
    existsSync(file)
      ? readFileSync(file, 'utf8')
          .split('\n')
          .filter(Boolean)
          .map((line) => {
            const [event, runId, attempt, worker] = line.split(' ');
            return { event: event as LedgerEntry['event'], runId: runId!, attempt: Number(attempt), worker: worker! };
          })
      : [],
  );
}

/** Polls `condition` every 25 ms until it holds or `timeoutMs` passes. */
export async function waitFor(what: string, condition: () => boolean | Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
