/** Something text can be written to: `process.stdout`, or a collector in tests. */
export interface TextSink {
  write(text: string): unknown;
}

/** What a CLI invocation reads and writes, injectable so tests run commands in-process. */
export interface CliIo {
  stdout: TextSink;
  stderr: TextSink;
  /** Environment to read `DURABLY_DATABASE_URL` and `DURABLY_*` options from. */
  env: NodeJS.ProcessEnv;
  /** Base of relative paths (`--config`, `sqlite:` files). Default `process.cwd()`. */
  cwd?: string;
  /**
   * Ends a long-running command (`durably worker`, `durably dashboard`) gracefully when aborted,
   * for tests and programs that embed `runCli`. Without it (the executable), `worker` leaves
   * SIGTERM/SIGINT to hosting (drain, exit 0) and `dashboard` runs until the process ends.
   */
  signal?: AbortSignal;
}

/** Writes one line. */
export function writeLine(sink: TextSink, line = ''): void {
  sink.write(`${line}\n`);
}

/** Writes a value as pretty JSON (dates as ISO strings), for `--json`. */
export function writeJson(sink: TextSink, value: unknown): void {
  sink.write(`${JSON.stringify(value, null, 2)}\n`);
}
