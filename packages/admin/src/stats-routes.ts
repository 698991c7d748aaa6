import { runStatuses, type RunStatus } from '@durably/core';
import type { AdminRoute, AdminServices } from './admin-route.js';
import { jsonResponse } from './json-response.js';
import { computeThroughput } from './compute-throughput.js';
import { parseLimit } from './parse-run-filters.js';

/** Workers whose last heartbeat is older than this are not listed (24 h, in ms). */
const workerWindowMs = 24 * 60 * 60 * 1000;

/**
 * The jobs and queues the stats break down: every job in the registry and every stored schedule
 * (the store contract cannot list distinct job names, and scanning all runs would not scale).
 */
async function knownNames(services: AdminServices): Promise<{ jobs: string[]; queues: string[] }> {
  const schedules = await services.store.scheduleList({ includeDisabled: true });
  const jobs = new Set([...services.registry.names, ...schedules.map((schedule) => schedule.jobName)]);
  const queues = new Set(['default', ...services.registry.all.map((job) => job.queue)]);
  return { jobs: [...jobs].sort(), queues: [...queues].sort() };
}

async function countsFor(services: AdminServices, key: 'jobName' | 'queue', names: string[]) {
  const counts = await Promise.all(names.map((name) => services.store.runCountByStatus({ [key]: name })));
  return Object.fromEntries(names.map((name, index) => [name, counts[index]!]));
}

/** The earliest-due waiting run, and how long it has been due (0 when it is not due yet). */
async function oldestDue(services: AdminServices, now: Date) {
  const page = await services.store.runList({ statuses: ['pending', 'waiting_retry'], order: 'due', limit: 1 });
  const run = page.runs[0];
  if (run === undefined) return null;
  return { runId: run.runId, jobName: run.jobName, runAt: run.runAt, ageMs: Math.max(0, now.getTime() - run.runAt.getTime()) };
}

/** `GET /stats`: counts by status (total, per job, per queue), oldest due run, workers. */
const stats: AdminRoute = {
  method: 'GET',
  path: '/stats',
  async handle({ services }) {
    const { store } = services;
    const now = await store.clockNow();
    const { jobs, queues } = await knownNames(services);
    const [total, byJob, byQueue, oldest, workers] = await Promise.all([
      store.runCountByStatus({}),
      countsFor(services, 'jobName', jobs),
      countsFor(services, 'queue', queues),
      oldestDue(services, now),
      store.workerList({ seenWithinMs: workerWindowMs }),
    ]);
    return jsonResponse({
      now,
      statuses: runStatuses,
      counts: total,
      total: runStatuses.reduce((sum, status: RunStatus) => sum + (total[status] ?? 0), 0),
      byJob,
      byQueue,
      oldestDue: oldest,
      workers: workers.map((worker) => ({ ...worker, heartbeatAgeMs: Math.max(0, now.getTime() - worker.lastSeenAt.getTime()) })),
    });
  },
};

/** `GET /stats/throughput?hours=24`: finished runs per hour and the failure rate (approximate, see compute-throughput). */
const throughput: AdminRoute = {
  method: 'GET',
  path: '/stats/throughput',
  async handle({ services, url }) {
    const hours = parseLimit(url.searchParams.get('hours'), 168, 24);
    return jsonResponse(await computeThroughput(services.store, hours));
  },
};

/** `GET /health`: 200 when the store answers, 503 otherwise. */
const health: AdminRoute = {
  method: 'GET',
  path: '/health',
  async handle({ services }) {
    try {
      const now = await services.store.clockNow();
      return jsonResponse({ status: 'ok', provider: services.store.provider, now });
    } catch {
      return jsonResponse({ status: 'unavailable', provider: services.store.provider }, 503);
    }
  },
};

/** The stats and health routes. */
export const statsRoutes: readonly AdminRoute[] = [stats, throughput, health];
