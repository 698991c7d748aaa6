import type { FinishOutcome, RunFinish, RunFinishManyParams, RunFinishResult, RunStatus } from '@durably/core';
import { sql } from 'kysely';
import type { FinishPlan, FinishRowResult, SqlContext } from './sql-context.js';
import type { SqlExecutor } from './sql-dialect-adapter.js';
import { isRunId } from './run-id.js';

/** `runFinishMany`: plans every finish in shared code, then lets the dialect apply the batch. */
export async function finishRunMany(ctx: SqlContext, params: RunFinishManyParams): Promise<RunFinishResult[]> {
  const valid = params.finishes.filter((finish) => isRunId(finish.runId));
  const plans = valid.map((finish) => planFinish(finish));
  const results =
    plans.length === 0 ? [] : await ctx.transaction((trx) => ctx.adapter.finishRuns(ctx, trx, plans));
  const byRun = new Map<string, FinishRowResult>();
  for (const result of results) if (!byRun.has(result.runId) || result.applied) byRun.set(result.runId, result);
  return params.finishes.map((finish) => {
    const result = byRun.get(finish.runId);
    return result ? { ...result } : { runId: finish.runId, applied: false };
  });
}

/** What one outcome does to its run and how the attempt is recorded. */
export function planFinish(finish: RunFinish): FinishPlan {
  const base = { runId: finish.runId, workerName: finish.workerName, attempt: finish.attempt };
  const o: FinishOutcome = finish.outcome;
  const none = { runAt: null, delayMs: null, setError: false, error: null, maxAttemptsIncrement: 0 };
  switch (o.type) {
    case 'succeeded':
      return { ...base, ...none, status: 'succeeded', terminal: true, attemptOutcome: 'succeeded' };
    case 'failed':
      return { ...base, ...none, status: 'failed', terminal: true, setError: true, error: o.error, attemptOutcome: 'failed' };
    case 'retry':
      return {
        ...base, ...none, status: 'waiting_retry', terminal: false, runAt: o.runAt ?? null, delayMs: o.delayMs,
        setError: true, error: o.error, attemptOutcome: 'retry_scheduled',
      };
    case 'snoozed':
      return {
        ...base, ...none, status: 'pending', terminal: false, runAt: o.runAt ?? null, delayMs: o.delayMs,
        maxAttemptsIncrement: 1, attemptOutcome: 'snoozed',
      };
    case 'cancelled':
      return {
        ...base, ...none, status: 'cancelled', terminal: true, setError: o.error !== undefined,
        error: o.error ?? null, attemptOutcome: 'cancelled',
      };
    case 'interrupted':
      return {
        ...base, ...none, status: 'pending', terminal: false, delayMs: 0, maxAttemptsIncrement: 1,
        error: o.error ?? null, attemptOutcome: 'interrupted',
      };
  }
}

/**
 * The portable batch finish: one fenced `UPDATE` per finish and one multi-row insert of the attempt
 * records, all in the caller's transaction. PostgreSQL overrides this with one statement per batch.
 */
export async function finishRunsPortable(
  ctx: SqlContext,
  trx: SqlExecutor,
  plans: readonly FinishPlan[],
): Promise<FinishRowResult[]> {
  const { adapter, tables } = ctx;
  const now = ctx.now();
  const results: FinishRowResult[] = [];
  const attempts: Record<string, unknown>[] = [];
  for (const plan of plans) {
    const update = trx
      .updateTable(tables.runs)
      .set(finishAssignments(ctx, plan))
      .where('id', '=', plan.runId)
      .where('lease_owner', '=', plan.workerName)
      .where('attempt', '=', plan.attempt)
      .where('status', '=', 'leased');
    const startedAt = adapter.supportsReturning
      ? (await update.returning('started_at').executeTakeFirst())?.started_at
      : await updateThenRead(trx, ctx, update, plan);
    if (startedAt === undefined) {
      results.push({ runId: plan.runId, applied: false });
      continue;
    }
    results.push({ runId: plan.runId, applied: true, status: plan.status });
    attempts.push({
      run_id: plan.runId,
      attempt: plan.attempt,
      worker_name: plan.workerName,
      started_at: startedAt ?? now,
      finished_at: now,
      outcome: plan.attemptOutcome,
      error: plan.error ? adapter.jsonValue(JSON.stringify(plan.error)) : null,
    });
  }
  if (attempts.length > 0) await trx.insertInto(tables.attempts).values(attempts).execute();
  await fillCurrentStatus(ctx, trx, results);
  return results;
}

async function updateThenRead(
  trx: SqlExecutor,
  ctx: SqlContext,
  update: { executeTakeFirst(): Promise<{ numUpdatedRows: bigint }> },
  plan: FinishPlan,
): Promise<unknown> {
  const result = await update.executeTakeFirst();
  if (Number(result.numUpdatedRows) === 0) return undefined;
  const row = await trx.selectFrom(ctx.tables.runs).select('started_at').where('id', '=', plan.runId).executeTakeFirst();
  return row?.started_at ?? null;
}

/** The column assignments of one finish (shared by every dialect's finish statement). */
export function finishAssignments(ctx: SqlContext, plan: FinishPlan): Record<string, unknown> {
  const { adapter } = ctx;
  const now = ctx.now();
  const set: Record<string, unknown> = {
    status: plan.status,
    lease_owner: null,
    lease_expires_at: null,
    finished_at: plan.terminal ? now : null,
  };
  if (plan.runAt) set.run_at = adapter.timeValue(plan.runAt);
  else if (plan.delayMs !== null) set.run_at = adapter.addMilliseconds(now, plan.delayMs);
  if (plan.setError) set.last_error = plan.error ? adapter.jsonValue(JSON.stringify(plan.error)) : null;
  if (plan.maxAttemptsIncrement !== 0) set.max_attempts = sql`max_attempts + ${plan.maxAttemptsIncrement}`;
  if (plan.status !== 'cancelled') set.cancel_requested_at = null;
  return set;
}

/** Fills in the current status of the finishes the fence rejected (absent when the run is gone). */
export async function fillCurrentStatus(ctx: SqlContext, trx: SqlExecutor, results: FinishRowResult[]): Promise<void> {
  const rejected = results.filter((result) => !result.applied).map((result) => result.runId);
  if (rejected.length === 0) return;
  const rows = await trx.selectFrom(ctx.tables.runs).select(['id', 'status']).where('id', 'in', rejected).execute();
  const statuses = new Map(rows.map((row) => [String(row.id), row.status as RunStatus]));
  for (const result of results) {
    const status = statuses.get(result.runId);
    if (!result.applied && status) result.status = status;
  }
}
