import type { WorkerInfo } from '@durably/core';
import type { SqlContext } from './sql-context.js';

/** `workerBeat`: update-then-insert (portable; a name is beaten by one process at a time). */
export async function beatWorker(ctx: SqlContext, worker: Omit<WorkerInfo, 'lastSeenAt'>): Promise<void> {
  const { adapter, tables } = ctx;
  await ctx.transaction(async (trx) => {
    const now = ctx.now();
    const values = {
      queues: worker.queues ? adapter.jsonValue(JSON.stringify(worker.queues)) : null,
      started_at: adapter.timeValue(worker.startedAt),
      last_seen_at: now,
      active_runs: worker.activeRuns,
    };
    const updated = await trx
      .updateTable(tables.workers)
      .set(values)
      .where('worker_name', '=', worker.workerName)
      .executeTakeFirst();
    if (Number(updated.numUpdatedRows) > 0) return;
    await adapter.insertIgnoringDuplicates(trx, tables.workers, {
      worker_name: worker.workerName,
      ...values,
    });
  }, ctx.leaseDb);
}

/** `workerList`: workers seen within `seenWithinMs`, by name. */
export async function listWorkers(ctx: SqlContext, seenWithinMs: number): Promise<WorkerInfo[]> {
  const rows = await ctx.db
    .selectFrom(ctx.tables.workers)
    .selectAll()
    .where('last_seen_at', '>=', ctx.adapter.addMilliseconds(ctx.now(), -seenWithinMs))
    .orderBy('worker_name')
    .execute();
  return rows.map((row) => ctx.map.worker(row));
}

/** `workerRemove`. */
export async function removeWorker(ctx: SqlContext, workerName: string): Promise<void> {
  await ctx.write((executor) =>
    executor.deleteFrom(ctx.tables.workers).where('worker_name', '=', workerName).execute(),
  );
}
