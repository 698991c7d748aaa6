import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { ExactlyOnceChildResult } from './run-exactly-once-child.js';

const execFileAsync = promisify(execFile);

/** Options of {@link spawnExactlyOnceProcesses}. */
export interface SpawnExactlyOnceOptions {
  /** Path of the child script, which calls `runExactlyOnceChild`. */
  script: string;
  /** How many processes to start at once. */
  processes: number;
  /** Command-line arguments of process `index` (0-based), after the script path. */
  argumentsFor(index: number): string[];
  /**
   * Node options placed before the script, e.g. `['--import', 'tsx']` for a TypeScript script.
   * Default none.
   */
  nodeArguments?: readonly string[];
  /** Kills a process that runs longer, in milliseconds. Default 170 000. */
  timeoutMs?: number;
}

/**
 * Starts `processes` child processes of the exactly-once test at the same time and returns what
 * each reported once all have exited. A process that fails rejects with its stderr in the message.
 * Check afterwards that the `applied` counts add up to all runs enqueued, and that the store holds
 * every run `succeeded` at attempt 1: then no run was claimed twice.
 */
export async function spawnExactlyOnceProcesses(
  options: SpawnExactlyOnceOptions,
): Promise<ExactlyOnceChildResult[]> {
  const children = Array.from({ length: options.processes }, async (_, index) => {
    const args = [...(options.nodeArguments ?? []), options.script, ...options.argumentsFor(index)];
    try {
      const child = await execFileAsync(process.execPath, args, { timeout: options.timeoutMs ?? 170_000 });
      return JSON.parse(child.stdout) as ExactlyOnceChildResult;
    } catch (error) {
      const failure = error as { stderr?: string; message: string };
      throw new Error(`exactly-once process ${index + 1} failed: ${failure.stderr || failure.message}`, {
        cause: error,
      });
    }
  });
  return Promise.all(children);
}
