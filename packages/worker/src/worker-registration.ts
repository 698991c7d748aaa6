import type { WorkerRuntime } from './worker-runtime.js';

/**
 * Records this worker in the store (`workerBeat`: name, queues, start time, active runs) so
 * dashboards and `durably status` can list live workers, and emits `worker_heartbeat`.
 * Throws on store errors; the caller's timer logs and retries.
 */
export async function beatWorker(rt: WorkerRuntime, startedAt: Date): Promise<void> {
  const activeRuns = rt.active.size;
  await rt.store.workerBeat({
    worker: {
      workerName: rt.settings.workerName,
      queues: rt.settings.queues ? [...rt.settings.queues] : null,
      startedAt,
      activeRuns,
    },
  });
  rt.emit({ type: 'worker_heartbeat', at: rt.clock.now(), workerName: rt.settings.workerName, activeRuns });
}
