import {
  createFakeClock,
  createJobRegistry,
  defineJob,
  resolveOptions,
  syncSchedules,
  type DurablyStore,
  type FakeClock,
  type JobRegistry,
  type NewRun,
} from '@durably/core';
import { newRun as newRunFixture } from '@durably/testing';
import type { AdminAuditEvent, AdminHandlerOptions, AuthorizeResult } from '../admin-options.js';
import { createAdminHandler, type AdminHandler } from '../create-admin-handler.js';

/** Creates a fresh, migrated, empty store for one test, using `clock` as "now". */
export type StoreFactory = (clock: FakeClock) => Promise<{ store: DurablyStore; destroy(): Promise<void> }>;

export const markup = '<img src=x onerror="alert(1)">';

export const jobs = [
  defineJob<{ userId: string; tags?: string[]; n?: number }>({ name: 'email.send', run: () => {} }),
  defineJob<{ title: string }>({ name: 'report.build', queue: 'reports', run: () => {} }),
  defineJob({ name: 'report.nightly', recurring: { cron: '0 3 * * *', timeZone: 'Europe/Berlin' }, run: () => {} }),
];

/** Ids of the seeded runs, by their state. */
export interface SeededRuns {
  /** email.send {userId:'u1'}: failed after one attempt, error with stack and markup. */
  failed: string;
  /** email.send {userId:'u2'}: leased by worker w1, with progress and log lines. */
  leased: string;
  /** report.build (queue reports), pending, title with markup. */
  pending: string;
  /** email.send {userId:'u3', n: 42}: pending, due in an hour. */
  later: string;
}

export interface AdminFixture {
  store: DurablyStore;
  registry: JobRegistry;
  clock: FakeClock;
  runs: SeededRuns;
  audits: AdminAuditEvent[];
  errors: unknown[];
  /** A handler at `/admin` whose `authorize` reads `authorization: Bearer manage|read`. */
  handler: AdminHandler;
  /** A handler with other options (same store, registry and audit list). */
  makeHandler(options?: Partial<AdminHandlerOptions>): AdminHandler;
  destroy(): Promise<void>;
}

const newRun = (jobName: string, payload: unknown, overrides: Partial<NewRun> = {}) =>
  newRunFixture({ jobName, payloadJson: JSON.stringify(payload), maxAttempts: 1, ...overrides });

/** Seeds runs in every interesting state, a worker and the nightly schedule. */
async function seed(store: DurablyStore, registry: JobRegistry, clock: FakeClock): Promise<SeededRuns> {
  const [failed, leased] = await store.runInsertMany({
    runs: [newRun('email.send', { userId: 'u1', tags: ['x'] }), newRun('email.send', { userId: 'u2' }, { priority: -1 })],
  });
  clock.advance(1_000);
  const [pending, later] = await store.runInsertMany({
    runs: [
      newRun('report.build', { title: markup }, { queue: 'reports' }),
      newRun('email.send', { userId: 'u3', n: 42 }, { runAt: new Date(clock.now().getTime() + 3_600_000) }),
    ],
  });
  await store.runClaim({ workerName: 'w1', limit: 2, leaseDurationMs: 600_000, jobNames: ['email.send'] });
  const ref = (runId: string) => ({ runId, workerName: 'w1', attempt: 1 });
  await store.runFinishMany({
    finishes: [{ ...ref(failed!.runId), outcome: { type: 'failed', error: { name: 'Error', message: `boom ${markup}`, stack: 'Error: boom\n    at handler (job.ts:1:1)' } } }],
  });
  await store.runProgressSet({ updates: [{ ...ref(leased!.runId), percent: 40, message: 'step 2 of 5' }] });
  await store.runLogAppend({
    lines: [{ ...ref(leased!.runId), at: clock.now(), level: 'info', message: `started ${markup}` }],
    maxLinesPerRun: 1000,
  });
  await store.workerBeat({ worker: { workerName: 'w1', queues: null, startedAt: clock.now(), activeRuns: 1 } });
  await syncSchedules({ store, registry, options: resolveOptions(), clock });
  clock.advance(5_000);
  return { failed: failed!.runId, leased: leased!.runId, pending: pending!.runId, later: later!.runId };
}

/** Bearer-token authorisation for tests: `Bearer manage` or `Bearer read`. */
export function bearerAuthorize(request: Request): AuthorizeResult {
  const token = request.headers.get('authorization')?.replace(/^Bearer /, '');
  return token === 'manage' || token === 'read' ? { role: token, actor: `${token}-user` } : null;
}

/** Creates a store, seeds it and builds handlers. */
export async function createAdminFixture(factory: StoreFactory): Promise<AdminFixture> {
  const clock = createFakeClock('2026-03-01T10:00:00Z');
  const { store, destroy } = await factory(clock);
  const registry = createJobRegistry(jobs);
  const runs = await seed(store, registry, clock);
  const audits: AdminAuditEvent[] = [];
  const errors: unknown[] = [];
  const makeHandler = (options: Partial<AdminHandlerOptions> = {}) =>
    createAdminHandler({
      store,
      registry,
      clock,
      basePath: '/admin',
      authorize: bearerAuthorize,
      onAudit: (event) => void audits.push(event),
      onError: (error) => void errors.push(error),
      ...options,
    });
  return { store, registry, clock, runs, audits, errors, handler: makeHandler(), makeHandler, destroy };
}

export interface CallOptions {
  role?: 'manage' | 'read' | null;
  body?: unknown;
  headers?: Record<string, string>;
}

/**
 * Calls a handler like a same-origin dashboard would: `Bearer <role>` (default manage) and, on
 * mutating methods, the `X-Durably-Admin` header. Returns the status, headers and parsed body.
 */
export interface CallResult {
  status: number;
  headers: Headers;
  text: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  json: any;
}

export async function call(handler: AdminHandler, method: string, path: string, options: CallOptions = {}): Promise<CallResult> {
  const headers: Record<string, string> = {};
  const role = options.role === undefined ? 'manage' : options.role;
  if (role !== null) headers.authorization = `Bearer ${role}`;
  if (method !== 'GET') headers['x-durably-admin'] = '1';
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  Object.assign(headers, options.headers);
  const body = options.body === undefined ? undefined : typeof options.body === 'string' ? options.body : JSON.stringify(options.body);
  const response = await handler(new Request(`http://admin.test${path}`, { method, headers, ...(body === undefined ? {} : { body }) }));
  const text = await response.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: response.status, headers: response.headers, text, json };
}
