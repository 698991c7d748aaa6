import type { WorkerLogger } from '@durably/worker';

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
