import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { DurablyError } from '@durably/core';
import { createNodeAdminListener, type AdminHandler } from '@durably/admin';
import type { Durably } from '@durably/hosting';
import { readJsonBody, sendJson, HttpError } from './http-helpers.js';
import { sampleRoutes, type RouteEntry } from './sample-routes.js';

/**
 * The sample's HTTP server (plain `node:http`, no framework) over the routes of `sampleRoutes`,
 * with the `@durably/admin` dashboard and API under the admin handler's `basePath` when given.
 */
export function createSampleServer(durably: Durably, options: { admin?: AdminHandler } = {}): Server {
  const routes = sampleRoutes(durably);
  const { admin } = options;
  const adminListener = admin ? createNodeAdminListener(admin) : undefined;

  return createServer((request, response) => {
    const path = (request.url ?? '/').split('?')[0]!;
    if (admin && adminListener && (path === admin.basePath || path.startsWith(`${admin.basePath}/`))) {
      adminListener(request, response);
      return;
    }
    void handle(routes, request, response).catch((error: unknown) => {
      durably.logger.error({ err: error }, 'request failed');
      if (!response.headersSent) sendJson(response, 500, { error: 'internal error' });
    });
  });
}

async function handle(
  routes: RouteEntry[],
  request: IncomingMessage,
  response: ServerResponse,
): Promise<void> {
  const path = new URL(request.url ?? '/', 'http://localhost').pathname;
  for (const [method, pattern, route] of routes) {
    const match = pattern.exec(path);
    if (!match || request.method !== method) continue;
    try {
      const body = method === 'POST' ? await readJsonBody(request) : {};
      const [status, value] = await route(body, match.slice(1).map(decodeURIComponent));
      sendJson(response, status, value);
    } catch (error) {
      if (error instanceof HttpError) sendJson(response, error.status, { error: error.message });
      // Durably checked the payload or options and refused them: the caller's mistake, not ours.
      else if (DurablyError.isInstance(error) && error.code.startsWith('invalid_'))
        sendJson(response, 400, { error: error.message });
      else throw error;
    }
    return;
  }
  sendJson(response, 404, {
    error: 'not found',
    routes: [
      'POST /reports',
      'POST /reminders',
      'POST /payments',
      'POST /videos',
      'GET /runs/:id',
      'POST /runs/:id/cancel',
      'GET /admin/ (dashboard)',
    ],
  });
}
