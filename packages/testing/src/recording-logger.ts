import type { WorkerLogger } from '@durably/worker';

/** One call to a logger made by {@link createRecordingLogger}. */
export interface LogRecord {
  level: 'debug' | 'info' | 'warn' | 'error';
  /** The call's fields, merged over the bindings of `child()` loggers. */
  fields: Record<string, unknown>;
  message: string;
}

/**
 * A pino-shaped `WorkerLogger` that appends every call to `records` (child loggers write to the
 * same array, their bindings merged into `fields`), so a test can assert what the worker or host
 * logged.
 *
 * @example
 * ```ts
 * const logs: LogRecord[] = [];
 * const durably = await createDurably({ store, jobs, logger: createRecordingLogger(logs) });
 * // …
 * expect(logs.filter((record) => record.level === 'error')).toEqual([]);
 * ```
 */
export function createRecordingLogger(
  records: LogRecord[],
  bindings: Record<string, unknown> = {},
): WorkerLogger {
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
