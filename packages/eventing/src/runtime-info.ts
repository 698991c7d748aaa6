import { createRequire } from 'node:module';
import { hostname } from 'node:os';

/** Who sent an ingestion batch: sent with every batch, as the reference's "runtime information". */
export interface RuntimeInfo {
  /** The worker's `workerName` option (default `${hostname}-${pid}`). */
  workerName: string;
  host: string;
  pid: number;
  /** Version of `@durably/eventing`, which ships in lockstep with the other Durably packages. */
  durablyVersion: string;
  /** `process.version`, e.g. `v20.19.0`. */
  nodeVersion: string;
  /** `process.platform`, e.g. `linux`. */
  platform: string;
}

/** Reads the package version once; `../package.json` is right from both `src/` and `dist/`. */
function readDurablyVersion(): string {
  try {
    const manifest = createRequire(import.meta.url)('../package.json') as { version?: unknown };
    return typeof manifest.version === 'string' ? manifest.version : 'unknown';
  } catch {
    return 'unknown';
  }
}

const durablyVersion = readDurablyVersion();

/** Collects the runtime information of this process. `workerName` defaults like the worker's option. */
export function collectRuntimeInfo(workerName?: string): RuntimeInfo {
  const host = hostname();
  return {
    workerName: workerName ?? `${host}-${process.pid}`,
    host,
    pid: process.pid,
    durablyVersion,
    nodeVersion: process.version,
    platform: process.platform,
  };
}
