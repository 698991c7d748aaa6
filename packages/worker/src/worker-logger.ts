import type { JobLogger } from '@durably/core';

type LogMethod = (fields: Record<string, unknown>, message: string) => void;

/**
 * The logger the worker writes to: the shape of a pino logger (`logger.info(fields, message)`,
 * `logger.child(bindings)`), so a pino instance can be passed as it is. The default logs nothing.
 */
export interface WorkerLogger {
  debug: LogMethod;
  info: LogMethod;
  warn: LogMethod;
  error: LogMethod;
  child(bindings: Record<string, unknown>): WorkerLogger;
}

/** A logger that drops everything (the worker's default when none is given). */
export const silentLogger: WorkerLogger = {
  debug() {},
  info() {},
  warn() {},
  error() {},
  child: () => silentLogger,
};

/** Adapts a run-scoped child logger to the `ctx.logger` shape handlers use (`message` first). */
export function toJobLogger(logger: WorkerLogger): JobLogger {
  return {
    debug: (message, fields) => logger.debug(fields ?? {}, message),
    info: (message, fields) => logger.info(fields ?? {}, message),
    warn: (message, fields) => logger.warn(fields ?? {}, message),
    error: (message, fields) => logger.error(fields ?? {}, message),
  };
}
