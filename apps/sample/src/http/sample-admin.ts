import { authorizeBearerTokens, createAdminHandler, minTokenLength, type AdminHandler } from '@durably/admin';
import type { Durably } from '@durably/hosting';

/** Where the sample mounts the dashboard and its API (`/admin/`, `/admin/api/…`). */
export const adminBasePath = '/admin';

/**
 * The `@durably/admin` handler for the sample. With `SAMPLE_ADMIN_TOKEN` set (≥ 24 characters),
 * callers need `Authorization: Bearer <token>` (scripts and curl; browsers do not send bearer
 * tokens). Without it, the package's development escape hatch is used: requests from this machine
 * to `localhost`/`127.0.0.1` get `manage` — fine for a sample that listens on 127.0.0.1 only, never
 * behind a proxy.
 */
export function createSampleAdmin(durably: Durably, env: NodeJS.ProcessEnv): AdminHandler {
  const token = env.SAMPLE_ADMIN_TOKEN;
  return createAdminHandler({
    store: durably.store,
    registry: durably.registry,
    options: durably.options,
    basePath: adminBasePath,
    ...(token
      ? { authorize: authorizeBearerTokens({ manage: [token] }) }
      : { unsafeAllowLocalWithoutAuth: true }),
    onAudit: (event) => durably.logger.info({ ...event }, 'admin action'),
    onError: (error, errorId) => durably.logger.error({ err: error, errorId }, 'admin request failed'),
  });
}

/** Checked at startup, before anything starts: a short token is a mistake worth one clear line. */
export function checkAdminToken(env: NodeJS.ProcessEnv): void {
  const token = env.SAMPLE_ADMIN_TOKEN;
  if (token !== undefined && token !== '' && token.length < minTokenLength)
    throw new Error(
      `SAMPLE_ADMIN_TOKEN must have at least ${minTokenLength} characters (e.g. \`openssl rand -hex 32\`)`,
    );
}
