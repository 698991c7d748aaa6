import type { DurablyClient, DurablyStore, JobRegistry, ScheduleAdmin } from '@durably/core';
import type { AdminRole } from './admin-options.js';
import type { Caller } from './authorize-request.js';

/** What route handlers work with. */
export interface AdminServices {
  store: DurablyStore;
  registry: JobRegistry;
  client: DurablyClient;
  schedules: ScheduleAdmin;
  /** Lowest role that sees payloads. */
  exposePayloadTo: AdminRole;
}

/** One request, matched to a route and authorised. */
export interface RouteContext {
  request: Request;
  url: URL;
  params: Record<string, string>;
  caller: Caller;
  /** The parsed JSON body of a mutating request (`{}` when empty); `{}` for reads. */
  body: Record<string, unknown>;
  services: AdminServices;
  /** Facts a mutating route adds to its audit event (new cron, new run id, …). */
  auditDetails: Record<string, string | number | boolean | null>;
}

/**
 * One API route. `GET` routes read; `POST`/`DELETE` routes mutate: they need `manage`, pass the
 * CSRF checks and emit an audit event named `action` about the target `params[targetParam]`.
 */
export interface AdminRoute {
  method: 'GET' | 'POST' | 'DELETE';
  /** Path under `${basePath}/api`, with `:name` segments, e.g. `/runs/:runId/cancel`. */
  path: string;
  action?: string;
  targetParam?: string;
  handle(context: RouteContext): Promise<Response>;
}

/** Whether the caller may see payloads. */
export function canSeePayload(context: RouteContext): boolean {
  return context.services.exposePayloadTo === 'read' || context.caller.role === 'manage';
}

export type RouteMatch =
  | { type: 'found'; route: AdminRoute; params: Record<string, string> }
  | { type: 'method_not_allowed'; allowed: string[] }
  | { type: 'not_found' };

/**
 * Finds the route for a method and path segments (already split on `/`, still percent-encoded, so
 * a job name containing `/` arrives as one `%2F` segment).
 */
export function matchRoute(routes: readonly AdminRoute[], method: string, segments: readonly string[]): RouteMatch {
  const allowed: string[] = [];
  for (const route of routes) {
    const params = matchPath(route.path, segments);
    if (params === undefined) continue;
    if (route.method === method || (route.method === 'GET' && method === 'HEAD')) return { type: 'found', route, params };
    allowed.push(route.method);
  }
  return allowed.length > 0 ? { type: 'method_not_allowed', allowed } : { type: 'not_found' };
}

function matchPath(pattern: string, segments: readonly string[]): Record<string, string> | undefined {
  const parts = pattern.split('/').filter((part) => part !== '');
  if (parts.length !== segments.length) return undefined;
  const params: Record<string, string> = {};
  for (const [index, part] of parts.entries()) {
    const segment = segments[index]!;
    if (part.startsWith(':')) {
      const value = safeDecode(segment);
      if (value === undefined || value === '') return undefined;
      params[part.slice(1)] = value;
    } else if (part !== segment) {
      return undefined;
    }
  }
  return params;
}

function safeDecode(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}
