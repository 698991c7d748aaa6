import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { DurablyError } from '@durably/core';
import type { Durably } from '@durably/hosting';
import { readJsonBody, sendJson, HttpError } from './http-helpers.js';
import { sampleRoutes, type RouteEntry } from './sample-routes.js';

/** The sample's HTTP server (plain `node:http`, no framework) over the routes of `sampleRoutes`. */
export function createSampleServer(durably: Durably): Server {
  const routes = sampleRoutes(durably);

  return createServer((request, response) => {
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
    ],
  });
}
