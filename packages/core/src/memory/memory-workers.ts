import type { WorkerInfo } from '../model.js';
import { storeArguments } from '../store-arguments.js';
import { toWorkerInfo, type MemoryContext } from './memory-state.js';

/** `workerBeat`: inserts or replaces the worker's record with `lastSeenAt` = now. */
export function beatWorker(ctx: MemoryContext, worker: Omit<WorkerInfo, 'lastSeenAt'>): void {
  storeArguments.date(worker.startedAt, 'worker.startedAt');
  ctx.state.workers.set(worker.workerName, {
    workerName: worker.workerName,
    queues: worker.queues ? [...worker.queues] : null,
    startedAt: worker.startedAt.getTime(),
    lastSeenAt: ctx.now(),
    activeRuns: worker.activeRuns,
  });
}

/** `workerList`: workers seen at or after `now - seenWithinMs`, ordered by `workerName`. */
export function listWorkers(ctx: MemoryContext, seenWithinMs: number): WorkerInfo[] {
  storeArguments.duration(seenWithinMs, 'seenWithinMs');
  const since = ctx.now() - seenWithinMs;
  return [...ctx.state.workers.values()]
    .filter((worker) => worker.lastSeenAt >= since)
    .sort((a, b) => (a.workerName < b.workerName ? -1 : a.workerName > b.workerName ? 1 : 0))
    .map(toWorkerInfo);
}

/** `workerRemove`: forgets the worker (a no-op when unknown). */
export function removeWorker(ctx: MemoryContext, workerName: string): void {
  ctx.state.workers.delete(workerName);
}
