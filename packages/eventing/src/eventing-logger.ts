type LogMethod = (fields: Record<string, unknown>, message: string) => void;

/**
 * Where eventing reports its own trouble (dropped events, failing sinks, an unreachable ingestion
 * endpoint): the shape of a pino logger (`logger.warn(fields, message)`), so a pino instance can be
 * passed as it is. The default logs nothing.
 */
export interface EventingLogger {
  warn: LogMethod;
  error: LogMethod;
}

/** A logger that drops everything (the default when none is given). */
export const silentEventingLogger: EventingLogger = { warn() {}, error() {} };
