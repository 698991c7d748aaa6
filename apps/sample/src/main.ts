import { mkdirSync } from 'node:fs';
import type { Server } from 'node:http';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createStoreFromUrl, parseDatabaseUrl } from '@durably/cli';
import { DurablyError } from '@durably/core';
import { createDurably } from '@durably/hosting';
import { createLogger } from './create-logger.js';
import { jobs, options } from './durably-config.js';
import { adminBasePath, checkAdminToken, createSampleAdmin } from './http/sample-admin.js';
import { createSampleServer } from './http/sample-server.js';
import { sampleObservability } from './sample-observability.js';
import { enqueueDemoRuns } from './enqueue-demo-runs.js';

/** The default database: a SQLite file in the app's own (gitignored) `data/` folder. */
const defaultSqliteFile = fileURLToPath(new URL('../data/durably.db', import.meta.url));

async function main(): Promise<void> {
  const env = process.env;
  // Checked before anything starts, so a typo stops nothing half-started.
  const port = Number(env.PORT ?? 3000);
  if (!Number.isInteger(port) || port < 0 || port > 65_535)
    throw new Error(`PORT must be a port number (0-65535), got "${env.PORT}"`);
  checkAdminToken(env);
  const logger = createLogger(env);
  const url = env.DURABLY_DATABASE_URL;
  const target = parseDatabaseUrl(url, { defaultSqliteFile });
  if (target.provider === 'sqlite') mkdirSync(dirname(target.filename), { recursive: true });
  const store = await createStoreFromUrl(url, { defaultSqliteFile });
  // Filled once the server exists; a signal during startup finds nothing to close yet.
  const http: { server?: Server } = {};
  // The worker starts once the port is ours: a port in use then stops nothing half-started.
  // Hosting handles SIGTERM/SIGINT: stop taking requests (onSignal), drain in-flight runs within
  // `shutdownGraceSeconds`, exit 0; a second signal exits at once.
  const durably = await createDurably({
    ...options,
    ...sampleObservability(env, logger),
    store,
    jobs,
    logger,
    env,
    startWorker: false,
    onSignal: () => {
      http.server?.close();
      http.server?.closeAllConnections();
    },
  });
  const listening = createSampleServer(durably, { admin: createSampleAdmin(durably, env) });
  http.server = listening;
  await new Promise<void>((resolve, reject) => {
    listening.once('error', reject);
    listening.listen(port, '127.0.0.1', resolve);
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
  const address = listening.address();
  const boundPort = typeof address === 'object' && address ? address.port : port;
  logger.info(
    { url: `http://127.0.0.1:${boundPort}` },
    `listening on http://127.0.0.1:${boundPort} — try: curl -X POST localhost:${boundPort}/reports -d '{"customerId":"acme","month":"2026-11"}'`,
  );
  logger.info(
    { dashboard: `http://127.0.0.1:${boundPort}${adminBasePath}/` },
    `dashboard at http://127.0.0.1:${boundPort}${adminBasePath}/${env.SAMPLE_ADMIN_TOKEN ? ' (Authorization: Bearer $SAMPLE_ADMIN_TOKEN)' : ' (local requests only)'}`,
  );
  if (env.SAMPLE_DEMO_RUNS !== '0') await enqueueDemoRuns(durably);
}

main().catch((error: unknown) => {
  // A configuration mistake (bad DURABLY_DATABASE_URL, a bad option) or an unreachable database is
  // one clear line, not a stack trace.
  const message =
    error instanceof Error ? error.message || String((error as { code?: unknown }).code) : String(error);
  process.stderr.write(`sample: ${DurablyError.isInstance(error) ? '' : 'failed to start: '}${message}\n`);
  process.exit(1);
});
