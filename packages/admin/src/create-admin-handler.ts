import { randomUUID } from 'node:crypto';
import {
  ConfigurationError,
  createClient,
  createJobRegistry,
  createScheduleAdmin,
  resolveOptions,
  systemClock,
  type ServiceDeps,
} from '@durably/core';
import type { AdminAuditEvent, AdminHandlerOptions, AdminRequestContext } from './admin-options.js';
import { matchRoute, type AdminRoute, type AdminServices, type RouteContext } from './admin-route.js';
import { authorizeRequest, type Caller } from './authorize-request.js';
import { checkSameOrigin } from './check-same-origin.js';
import { HttpError, toHttpError } from './http-error.js';
import { errorResponse } from './json-response.js';
import { readJsonBody } from './read-json-body.js';
import { runRoutes } from './run-routes.js';
import { scheduleRoutes } from './schedule-routes.js';
import { serveDashboard } from './serve-dashboard.js';
import { statsRoutes } from './stats-routes.js';

/** A fetch-style handler: give it every request under `basePath`. */
export interface AdminHandler {
  (request: Request, context?: AdminRequestContext): Promise<Response>;
  /** The normalised base path (`''` for the root, else `/admin`-like, no trailing slash). */
  readonly basePath: string;
}

const routes: readonly AdminRoute[] = [...runRoutes, ...scheduleRoutes, ...statsRoutes];

/**
 * Creates the admin API and dashboard as one fetch-style handler, mountable in any framework (see
 * the README for Express, Fastify, NestJS, Hono and `node:http`; `createNodeAdminListener` adapts it
 * to `node:http`). The API is under `${basePath}/api`, the dashboard at `${basePath}/`.
 *
 * Secure by default: without `authorize` every request gets 401; `read` callers get 403 on every
 * mutating route; mutating routes need POST/DELETE, the same origin and a JSON body or the
 * `X-Durably-Admin` header; errors never carry stack traces.
 *
 * @example
 * const admin = createAdminHandler({
 *   store: durably.store,
 *   registry: durably.registry,
 *   basePath: '/admin',
 *   authorize: (request) => (isOperator(request) ? 'manage' : null),
 *   onAudit: (event) => logger.info(event, 'durably admin action'),
 * });
 * http.createServer(createNodeAdminListener(admin)).listen(3000);
 */
export function createAdminHandler(options: AdminHandlerOptions): AdminHandler {
  const basePath = normaliseBasePath(options.basePath);
  const services = createServices(options);
  const handler = async (request: Request, context: AdminRequestContext = {}): Promise<Response> => {
    try {
      return await route(options, services, basePath, request, context);
    } catch (error) {
      return failure(options, error);
    }
  };
  return Object.assign(handler, { basePath });
}

function createServices(options: AdminHandlerOptions): AdminServices {
  if (typeof options.store !== 'object' || options.store === null || typeof options.store.runList !== 'function') {
    throw new ConfigurationError('store', 'pass a Durably store (e.g. `durably.store` or `createSqliteStore(...)`).');
  }
  const exposePayloadTo = options.exposePayloadTo ?? 'read';
  if (exposePayloadTo !== 'read' && exposePayloadTo !== 'manage') {
    throw new ConfigurationError('exposePayloadTo', 'must be "read" or "manage".');
  }
  const deps: ServiceDeps = {
    store: options.store,
    registry: options.registry ?? createJobRegistry([]),
    options: options.options ?? resolveOptions(),
    clock: options.clock ?? systemClock,
  };
  return { ...deps, client: createClient(deps), schedules: createScheduleAdmin(deps), exposePayloadTo };
}

function normaliseBasePath(basePath: unknown): string {
  if (typeof basePath !== 'string' || (basePath !== '' && !basePath.startsWith('/')) || /[?#\s]/.test(basePath)) {
    throw new ConfigurationError('basePath', `must be a path such as "/admin" (or "" for the root), got ${JSON.stringify(basePath)}.`);
  }
  return basePath.replace(/\/+$/, '');
}

async function route(
  options: AdminHandlerOptions,
  services: AdminServices,
  basePath: string,
  request: Request,
  context: AdminRequestContext,
): Promise<Response> {
  const url = new URL(request.url);
  if (url.pathname !== basePath && !url.pathname.startsWith(`${basePath}/`)) {
    return errorResponse(404, 'not_found', 'Not found.');
  }
  const rest = url.pathname.slice(basePath.length);
  // The dashboard loads its files relative to `${basePath}/`, so the bare prefix must redirect.
  if (rest === '') return new Response(null, { status: 308, headers: { location: `${basePath}/${url.search}` } });
  const caller = await authorizeRequest(options, request, context);
  if (rest === '/api' || rest.startsWith('/api/')) {
    const segments = rest.slice('/api'.length).split('/').filter((segment) => segment !== '');
    const match = matchRoute(routes, request.method, segments);
    if (match.type === 'not_found') return errorResponse(404, 'not_found', `No API route ${request.method} ${rest}.`);
    if (match.type === 'method_not_allowed') {
      const allow = match.allowed.join(', ');
      return errorResponse(405, 'method_not_allowed', `Use ${allow} for this route.`, { allow });
    }
    const routeContext: RouteContext = { request, url, params: match.params, caller, body: {}, services, auditDetails: {} };
    return match.route.method === 'GET' ? match.route.handle(routeContext) : mutate(options, match.route, routeContext, context);
  }
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    return errorResponse(405, 'method_not_allowed', 'The dashboard only answers GET.', { allow: 'GET, HEAD' });
  }
  return (await serveDashboard(rest.slice(1))) ?? errorResponse(404, 'not_found', 'Not found.');
}

/** Runs a mutating route: role, CSRF and body checks, then the action; audits the outcome. */
async function mutate(
  options: AdminHandlerOptions,
  route: AdminRoute,
  context: RouteContext,
  requestContext: AdminRequestContext,
): Promise<Response> {
  let status = 500;
  try {
    if (context.caller.role !== 'manage') throw new HttpError(403, 'forbidden', 'This action needs the manage role.');
    checkSameOrigin(context.request, options.allowedOrigins ?? []);
    context.body = await readJsonBody(context.request);
    const response = await route.handle(context);
    status = response.status;
    return response;
  } catch (error) {
    status = toHttpError(error)?.status ?? 500;
    if (status === 500) context.auditDetails.error = 'internal_error';
    throw error;
  } finally {
    await audit(options, route, context.caller, context, status, requestContext);
  }
}

async function audit(
  options: AdminHandlerOptions,
  route: AdminRoute,
  caller: Caller,
  context: RouteContext,
  status: number,
  requestContext: AdminRequestContext,
): Promise<void> {
  if (options.onAudit === undefined) return;
  const event: AdminAuditEvent = {
    action: route.action ?? `${route.method} ${route.path}`,
    target: context.params[route.targetParam ?? ''] ?? '',
    role: caller.role,
    actor: caller.actor,
    outcome: status < 400 ? 'succeeded' : status === 401 || status === 403 ? 'denied' : 'failed',
    status,
    details: context.auditDetails,
    at: new Date(),
    remoteAddress: requestContext.remoteAddress ?? null,
  };
  try {
    await options.onAudit(event);
  } catch (error) {
    options.onError?.(error, 'audit');
  }
}

function failure(options: AdminHandlerOptions, error: unknown): Response {
  const known = toHttpError(error);
  if (known !== undefined) return errorResponse(known.status, known.code, known.message, known.headers);
  const errorId = randomUUID();
  options.onError?.(error, errorId);
  return errorResponse(500, 'internal_error', `Internal error ${errorId}. The application's error log has the details.`);
}
