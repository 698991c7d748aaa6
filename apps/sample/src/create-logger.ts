import { pino, type Logger } from 'pino';

const levelNames: Record<number, string> = {
  10: 'TRACE',
  20: 'DEBUG',
  30: 'INFO ',
  40: 'WARN ',
  50: 'ERROR',
  60: 'FATAL',
};
/** Fields every line has, or that say nothing to a reader of a terminal. */
const hiddenFields = new Set(['level', 'time', 'msg', 'pid', 'hostname', 'workerName']);

/**
 * The sample's pino logger. In a terminal, lines are printed readably
 * (`21:30:05 INFO  run succeeded  jobName=reports.generate runId=…`); elsewhere (pipes, tests, log
 * collectors) they stay JSON. `LOG_FORMAT=json` forces JSON, `LOG_LEVEL` sets the level (info).
 */
export function createLogger(env: NodeJS.ProcessEnv, out: NodeJS.WriteStream = process.stdout): Logger {
  const level = env.LOG_LEVEL ?? 'info';
  const readable = out.isTTY === true && env.LOG_FORMAT !== 'json';
  return pino({ level }, readable ? { write: (line: string) => out.write(readableLine(line)) } : out);
}

/** One JSON log line as `time LEVEL message key=value …`. */
export function readableLine(json: string): string {
  let record: Record<string, unknown>;
  try {
    record = JSON.parse(json) as Record<string, unknown>;
  } catch {
    return json;
  }
  const time = new Date(Number(record.time)).toTimeString().slice(0, 8);
  const level = levelNames[Number(record.level)] ?? String(record.level);
  const fields = Object.entries(record)
    .filter(([key]) => !hiddenFields.has(key))
    .map(([key, value]) => `${key}=${fieldText(value)}`)
    .join(' ');
  return `${time} ${level} ${String(record.msg ?? '')}${fields ? `  ${fields}` : ''}\n`;
}

function fieldText(value: unknown): string {
  if (typeof value === 'string') return /\s/.test(value) ? JSON.stringify(value) : value;
  if (typeof value === 'object' && value !== null && 'message' in value)
    return JSON.stringify((value as { message: unknown }).message);
  return JSON.stringify(value);
}
