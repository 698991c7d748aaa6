import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createStoreFromUrl, parseDatabaseUrl } from '@durably/cli';
import { DurablyError } from '@durably/core';
import { createDurably, type Durably } from '@durably/hosting';
import type { Logger } from 'pino';
import { createLogger } from './create-logger.js';
import { jobs, options } from './durably-config.js';
import { createSampleServer } from './http/sample-server.js';
import { enqueueDemoRuns } from './enqueue-demo-runs.js';

/** The default database: a SQLite file in the app's own (gitignored) `data/` folder. */
const defaultSqliteFile = fileURLToPath(new URL('../data/durably.db', import.meta.url));

async function main(): Promise<void> {
  const env = process.env;
  // Checked before anything starts, so a typo stops nothing half-started.
  const port = Number(env.PORT ?? 3000);
  if (!Number.isInteger(port) || port < 0 || port > 65_535)
    throw new Error(`PORT must be a port number (0-65535), got "${env.PORT}"`);
  const logger = createLogger(env);
  const url = env.DURABLY_DATABASE_URL;
  const target = parseDatabaseUrl(url, { defaultSqliteFile });
  if (target.provider === 'sqlite') mkdirSync(dirname(target.filename), { recursive: true });
  const store = await createStoreFromUrl(url, { defaultSqliteFile });
  // The worker starts once the port is ours: a port in use then stops nothing half-started.
  const durably = await createDurably({
    ...options,
    store,
    jobs,
    logger,
    env,
    handleSignals: false,
    startWorker: false,
  });
  const server = createSampleServer(durably);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', resolve);
  }).catch(async (error: unknown) => {
    await durably.stop();
    throw error;
  });
  await durably.start();
  logger.info(
    {
      provider: store.provider,
      database: target.provider === 'sqlite' ? target.filename : '(from DURABLY_DATABASE_URL)',
    },
    'durably started',
  );
  const address = server.address();
  const boundPort = typeof address === 'object' && address ? address.port : port;
  logger.info(
    { url: `http://127.0.0.1:${boundPort}` },
    `listening on http://127.0.0.1:${boundPort} — try: curl -X POST localhost:${boundPort}/reports -d '{"customerId":"acme","month":"2026-11"}'`,
  );
  if (env.SAMPLE_DEMO_RUNS !== '0') await enqueueDemoRuns(durably);
  stopOnSignals(durably, server, logger);
}

/**
 * The first SIGTERM/SIGINT stops accepting requests, drains in-flight runs (within
 * `shutdownGraceSeconds`; longer ones are aborted and released for the next start) and exits 0.
 * A second signal exits at once.
 */
function stopOnSignals(
  durably: Durably,
  server: ReturnType<typeof createSampleServer>,
  logger: Logger,
): void {
  let stopping = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (stopping) {
      logger.warn({ signal }, 'second signal: exiting now');
      process.exit(signal === 'SIGINT' ? 130 : 143);
    }
    stopping = true;
    logger.info(
      { signal, graceSeconds: durably.options.shutdownGraceSeconds },
      'stopping: draining in-flight runs',
    );
    server.close();
    server.closeAllConnections();
    durably.stop().then(
      () => {
        logger.info({}, 'stopped cleanly');
        process.exit(0);
      },
      (error: unknown) => {
        logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
}

main().catch((error: unknown) => {
  // A configuration mistake (bad DURABLY_DATABASE_URL, a bad option) or an unreachable database is
  // one clear line, not a stack trace.
  const message =
    error instanceof Error ? error.message || String((error as { code?: unknown }).code) : String(error);
  process.stderr.write(`sample: ${DurablyError.isInstance(error) ? '' : 'failed to start: '}${message}\n`);
  process.exit(1);
});
