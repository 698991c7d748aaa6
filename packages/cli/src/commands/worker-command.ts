import { createDurably } from '@durably/hosting';
import { pino } from 'pino';
import { usageError } from '../cli-error.js';
import { stringFlag, type CommandSpec } from '../command-spec.js';

const logLevels = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'];

/**
 * `durably worker --config <module>`: runs a worker for the module's jobs through `createDurably`
 * (migrations, registration sync, the runtime loop). Options come from the module's `options`,
 * then `DURABLY_*` variables. Run by the executable, hosting handles signals: the first SIGTERM/SIGINT
 * drains in-flight runs (within `shutdownGraceSeconds`) and exits 0; a second one exits at once.
 * With `io.signal` (embedded use), aborting it drains and the command returns 0.
 */
export const workerCommand: CommandSpec = {
  name: 'worker',
  summary: 'Run a worker for the jobs of a --config module until SIGTERM/Ctrl-C',
  synopsis: '',
  flagHelp: ['--log-level <level>   pino level: debug, info (default), warn, error'],
  options: { 'log-level': { type: 'string' } },
  async run({ session, flags }) {
    const config = await session.config();
    if (config === undefined)
      usageError('worker needs --config <module> exporting `jobs` (and optionally `options`).');
    const store = await session.store({ create: true });
    const level = stringFlag(flags, 'log-level') ?? 'info';
    if (!logLevels.includes(level))
      usageError(`--log-level: unknown level "${level}"; use one of ${logLevels.join(', ')}.`);
    const logger = pino({ level }, { write: (line: string) => session.io.stdout.write(line) });
    const { signal } = session.io;
    const durably = await createDurably({
      ...config.options,
      store,
      jobs: config.jobs,
      env: session.io.env,
      logger,
      // As the `durably` executable (no `io.signal`), hosting's own handling applies: the first
      // SIGTERM/SIGINT drains and exits 0, a second exits at once. Embedded (tests, a program
      // passing `signal`), the caller stops the worker by aborting and the process is left alone.
      handleSignals: signal === undefined,
    });
    logger.info(
      { jobs: durably.registry.names, provider: store.provider, workerName: durably.options.workerName },
      'worker started; Ctrl-C to stop',
    );
    if (signal === undefined) return new Promise<never>(() => {}); // hosting ends the process
    await waitForAbort(signal);
    logger.info({ graceSeconds: durably.options.shutdownGraceSeconds }, 'stopping: draining in-flight runs');
    // The session closes the store it opened.
    await durably.stop({ closeStore: false });
    logger.info({}, 'worker stopped');
  },
};

function waitForAbort(signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
}
