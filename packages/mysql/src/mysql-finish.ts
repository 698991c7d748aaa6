import type { RunStatus } from '@durably/core';
import {
  attemptRecordValues,
  finishAssignments,
  groupBySameEffect,
  makesDueNow,
  type FinishPlan,
  type FinishRowResult,
  type SqlContext,
  type SqlExecutor,
} from '@durably/sql';

/** A run as the finish sees it, updated in memory as the batch's plans apply in order. */
interface RunState {
  status: RunStatus;
  owner: string | null;
  attempt: number;
  startedAt: unknown;
  queue: string;
  cancelRequested: boolean;
}

/**
 * A batch of fenced finishes in one transaction and a handful of statements, whatever its size
 * (the portable path costs two statements per finish: measured 34 ms per batch of 50 on MariaDB
 * 10.11, against about 4 ms this way):
 * 1. `SELECT … FOR UPDATE` locks the batch's runs (in primary-key order, so two finishing workers
 *    cannot deadlock on each other) and reads what the fence needs;
 * 2. the fence is checked in memory, plan by plan in input order (a run named twice sees the first
 *    finish), which is exact because the rows stay locked until commit;
 * 3. one `UPDATE … WHERE id IN (…)` per distinct outcome (a batch of successes is one statement),
 *    with the shared assignments, so a cancellation request still wins in SQL;
 * 4. one multi-row insert of the attempt records.
 * A deadlock or lock wait timeout rolls it all back; it is then run again (`runStoreTransaction`).
 */
export function finishMySqlRuns(ctx: SqlContext, plans: readonly FinishPlan[]): Promise<FinishRowResult[]> {
  return ctx.transaction((trx) => finishInTransaction(ctx, trx, plans));
}

async function finishInTransaction(
  ctx: SqlContext,
  trx: SqlExecutor,
  plans: readonly FinishPlan[],
): Promise<FinishRowResult[]> {
  const { adapter, tables } = ctx;
  const fenced = checkFences(ctx, plans, await lockRuns(ctx, trx, plans));
  for (const group of groupBySameEffect(fenced.applied)) {
    const ids = group.map((plan) => plan.runId);
    await trx
      .updateTable(tables.runs)
      .set(finishAssignments(ctx, group[0]!))
      .where('id', 'in', ids)
      .where('status', '=', 'leased')
      .execute();
  }
  if (fenced.attempts.length > 0) await trx.insertInto(tables.attempts).values(fenced.attempts).execute();
  if (fenced.wake.size > 0) await adapter.notifyWork(trx, ctx, [...fenced.wake]);
  return fenced.results;
}

/**
 * Checks each plan's fence against the locked rows, in input order, updating the rows in memory as
 * plans apply; returns the per-plan results, the applied plans (in order), the attempt
 * records to insert and the queues with runs made due now.
 */
function checkFences(ctx: SqlContext, plans: readonly FinishPlan[], runs: Map<string, RunState>) {
  const { adapter } = ctx;
  const results: FinishRowResult[] = [];
  const applied: FinishPlan[] = [];
  const attempts: Record<string, unknown>[] = [];
  const wake = new Set<string>();
  const now = ctx.now();
  for (const plan of plans) {
    const run = runs.get(plan.runId);
    if (!run || run.status !== 'leased' || run.owner !== plan.workerName || run.attempt !== plan.attempt) {
      results.push({ runId: plan.runId, applied: false, ...(run ? { status: run.status } : {}) });
      continue;
    }
    const status: RunStatus = plan.terminal || !run.cancelRequested ? plan.status : 'cancelled';
    Object.assign(run, { status, owner: null });
    results.push({ runId: plan.runId, applied: true, status });
    applied.push(plan);
    if (makesDueNow(ctx, plan, status)) wake.add(run.queue);
    const startedAt = run.startedAt === null ? null : adapter.timeValue(adapter.readTime(run.startedAt));
    attempts.push(attemptRecordValues(ctx, plan, status, startedAt, now));
  }
  return { results, applied, attempts, wake };
}

async function lockRuns(
  ctx: SqlContext,
  trx: SqlExecutor,
  plans: readonly FinishPlan[],
): Promise<Map<string, RunState>> {
  // Ids compare case-insensitively in the table: key the result by the id as the caller spelled it.
  const spelled = new Map(plans.map((plan) => [plan.runId.toLowerCase(), plan.runId]));
  const rows = await trx
    .selectFrom(ctx.tables.runs)
    .select(['id', 'status', 'lease_owner', 'attempt', 'started_at', 'queue', 'cancel_requested_at'])
    .where('id', 'in', [...new Set(plans.map((plan) => plan.runId))])
    .orderBy('id')
    .forUpdate()
    .execute();
  return new Map(
    rows.map((row) => [
      spelled.get(String(row.id).toLowerCase()) ?? String(row.id),
      {
        status: row.status as RunStatus,
        owner: (row.lease_owner as string | null) ?? null,
        attempt: ctx.adapter.readInteger(row.attempt),
        startedAt: row.started_at ?? null,
        queue: row.queue as string,
        cancelRequested: row.cancel_requested_at !== null,
      },
    ]),
  );
}
