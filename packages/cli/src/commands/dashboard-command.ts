import { usageError } from '../cli-error.js';
import { writeJson, writeLine } from '../cli-io.js';
import { stringFlag, type CommandSpec } from '../command-spec.js';
import { parseInteger } from '../parse-values.js';

/** Where `durably dashboard` listens unless told otherwise. */
export const dashboardDefaults = { port: 4100, host: '127.0.0.1' } as const;

const loopbackHosts = new Set(['127.0.0.1', 'localhost', '::1', '[::1]']);

/**
 * `durably dashboard`: serves `@durably/admin` (the dashboard at `/admin/`, the API under
 * `/admin/api`) for the database of `DURABLY_DATABASE_URL` / `--database-url`; `--config` adds the
 * jobs "run now" needs. With a token (`--token` or `DURABLY_ADMIN_TOKEN`, ≥ 24 characters) every
 * request needs `Authorization: Bearer <token>`. Without one it only listens on a loopback address
 * and uses the package's explicit local escape hatch (requests from this machine to
 * `localhost`/`127.0.0.1` may do everything). Runs until `io.signal` aborts (or the process ends).
 */
export const dashboardCommand: CommandSpec = {
  name: 'dashboard',
  summary: 'Serve the admin dashboard and API (default http://127.0.0.1:4100/admin/)',
  synopsis: '',
  flagHelp: [
    `--port <port>        TCP port, 0 for a free one (default ${dashboardDefaults.port})`,
    `--host <address>     interface to listen on (default ${dashboardDefaults.host}; other than loopback needs a token)`,
    '--token <token>      require Authorization: Bearer <token> (default: $DURABLY_ADMIN_TOKEN)',
  ],
  options: { port: { type: 'string' }, host: { type: 'string' }, token: { type: 'string' } },
  async run({ session, flags }) {
    // Loaded on use, like the providers: other commands do not pay for the dashboard.
    const { authorizeBearerTokens, createAdminHandler, minTokenLength, startAdminServer } =
      await import('@durably/admin');
    const port = parsePort(stringFlag(flags, 'port'));
    const host = stringFlag(flags, 'host') ?? dashboardDefaults.host;
    const token = stringFlag(flags, 'token') ?? emptyToUndefined(session.io.env.DURABLY_ADMIN_TOKEN);
    const tokenSource = stringFlag(flags, 'token') !== undefined ? '--token' : 'DURABLY_ADMIN_TOKEN';
    if (token !== undefined && token.length < minTokenLength)
      usageError(
        `${tokenSource}: needs at least ${minTokenLength} characters (e.g. \`openssl rand -hex 32\`).`,
      );
    if (token === undefined && !loopbackHosts.has(host))
      usageError(
        `--host ${host}: without a token the dashboard only listens on loopback; set DURABLY_ADMIN_TOKEN or --token.`,
      );
    const { store, registry, options } = await session.services();
    const handler = createAdminHandler({
      store,
      registry,
      options,
      basePath: '/admin',
      ...(token === undefined
        ? { unsafeAllowLocalWithoutAuth: true }
        : { authorize: authorizeBearerTokens({ manage: [token] }) }),
      onError: (error, errorId) =>
        writeLine(session.io.stderr, `durably dashboard: request ${errorId} failed: ${describe(error)}`),
    });
    const server = await startAdminServer(handler, { port, host });
    const access = token === undefined ? 'local requests only, no token' : 'Authorization: Bearer <token>';
    if (session.flags.json)
      writeJson(session.io.stdout, { url: server.url, auth: token === undefined ? 'local' : 'token' });
    else writeLine(session.io.stdout, `dashboard at ${server.url} (${access}); Ctrl-C to stop`);
    await waitForAbort(session.io.signal);
    await server.close();
  },
};

function parsePort(text: string | undefined): number {
  if (text === undefined) return dashboardDefaults.port;
  const port = parseInteger(text, '--port');
  if (port < 0 || port > 65_535) usageError(`--port: expected 0-65535, got "${text}".`);
  return port;
}

function emptyToUndefined(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value;
}

/** A short reason for stderr: the error's name and message, never a stack. */
function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

/** Without a signal (the executable) the dashboard serves until the process is ended. */
function waitForAbort(signal: AbortSignal | undefined): Promise<void> {
  if (signal === undefined) return new Promise<void>(() => {});
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
}
