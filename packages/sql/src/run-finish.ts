import {
  storeArguments,
  type FinishOutcome,
  type RunFinish,
  type RunFinishManyParams,
  type RunFinishResult,
  type RunStatus,
} from '@durably/core';
import { sql, type RawBuilder } from 'kysely';
import type { FinishPlan, FinishRowResult, SqlContext } from './sql-context.js';
import type { SqlExecutor } from './sql-dialect-adapter.js';
import { isRunId } from './run-id.js';

/**
 * `runFinishMany`: plans every finish in shared code, then lets the dialect apply the batch in one
 * transaction. Results are in input order, one per finish (a run may appear twice in a batch).
 */
export async function finishRunMany(
  ctx: SqlContext,
  params: RunFinishManyParams,
): Promise<RunFinishResult[]> {
  for (const [index, finish] of params.finishes.entries()) {
    storeArguments.finishOutcome(finish.outcome, `finishes[${index}].outcome`);
  }
  const plans = params.finishes.filter((finish) => isRunId(finish.runId)).map((finish) => planFinish(finish));
  const results = plans.length === 0 ? [] : await ctx.adapter.finishRuns(ctx, plans);
  let next = 0;
  return params.finishes.map((finish) =>
    isRunId(finish.runId) ? results[next++]! : { runId: finish.runId, applied: false },
  );
}

/** What one outcome does to its run and how the attempt is recorded. */
export function planFinish(finish: RunFinish): FinishPlan {
  const o: FinishOutcome = finish.outcome;
  switch (o.type) {
    case 'succeeded':
      return plan(finish, 'succeeded', true, 'succeeded', {});
    case 'failed':
      return plan(finish, 'failed', true, 'failed', { setError: true, error: o.error });
    case 'retry':
      return plan(finish, 'waiting_retry', false, 'retry_scheduled', {
        runAt: o.runAt ?? null,
        delayMs: o.delayMs,
        setError: true,
        error: o.error,
      });
    case 'snoozed':
      return plan(finish, 'pending', false, 'snoozed', {
        runAt: o.runAt ?? null,
        delayMs: o.delayMs,
        maxAttemptsIncrement: 1,
      });
    case 'cancelled':
      return plan(finish, 'cancelled', true, 'cancelled', {
        setError: o.error !== undefined,
        error: o.error ?? null,
      });
    case 'interrupted':
      return plan(finish, 'pending', false, 'interrupted', {
        delayMs: 0,
        maxAttemptsIncrement: 1,
        error: o.error ?? null,
      });
  }
}

/**
 * A plan with every field in one order (one object shape for all of them: a drain plans a finish per
 * run, and spreading partial objects into each was a twelfth of a Node 20 worker's CPU).
 */
function plan(
  finish: RunFinish,
  status: RunStatus,
  terminal: boolean,
  attemptOutcome: FinishPlan['attemptOutcome'],
  extra: Partial<Pick<FinishPlan, 'runAt' | 'delayMs' | 'setError' | 'error' | 'maxAttemptsIncrement'>>,
): FinishPlan {
  return {
    runId: finish.runId,
    workerName: finish.workerName,
    attempt: finish.attempt,
    status,
    runAt: extra.runAt ?? null,
    delayMs: extra.delayMs ?? null,
    setError: extra.setError ?? false,
    error: extra.error ?? null,
    maxAttemptsIncrement: extra.maxAttemptsIncrement ?? 0,
    terminal,
    attemptOutcome,
  };
}

/**
 * The portable batch finish, in one transaction: plans with the same effect (say, every
 * `succeeded`) share one fenced `UPDATE … RETURNING` per 100 runs, then one multi-row insert
 * records the attempts. A batch that names a run twice, or a dialect without `RETURNING`, goes
 * plan by plan instead, so each finish sees the ones before it. PostgreSQL overrides this with one
 * statement per batch.
 */
export function finishRunsPortable(
  ctx: SqlContext,
  plans: readonly FinishPlan[],
): Promise<FinishRowResult[]> {
  const grouped =
    ctx.adapter.supportsReturning && new Set(plans.map((plan) => plan.runId)).size === plans.length;
  return ctx.transaction((trx) =>
    grouped ? finishGrouped(ctx, trx, plans) : finishInTransaction(ctx, trx, plans),
  );
}

/** Fences per statement: SQLite nests an `OR` chain one level per term (its limit is 1 000). */
const fencesPerStatement = 100;

async function finishGrouped(
  ctx: SqlContext,
  trx: SqlExecutor,
  plans: readonly FinishPlan[],
): Promise<FinishRowResult[]> {
  const applied = new Map<string, Record<string, unknown>>();
  for (const group of groupBySameEffect(plans)) {
    for (let start = 0; start < group.length; start += fencesPerStatement) {
      const chunk = group.slice(start, start + fencesPerStatement);
      const rows = await trx
        .updateTable(ctx.tables.runs)
        .set(finishAssignments(ctx, chunk[0]!))
        .where('status', '=', 'leased')
        .where((eb) =>
          eb.or(
            chunk.map((plan) =>
              eb.and([
                eb('id', '=', plan.runId),
                eb('lease_owner', '=', plan.workerName),
                eb('attempt', '=', plan.attempt),
              ]),
            ),
          ),
        )
        .returning(['id', 'status', 'started_at', 'queue'])
        .execute();
      for (const row of rows) applied.set(String(row.id), row);
    }
  }
  const results: FinishRowResult[] = plans.map((plan) => {
    const row = applied.get(plan.runId);
    return row
      ? { runId: plan.runId, applied: true, status: row.status as RunStatus }
      : { runId: plan.runId, applied: false };
  });
  // No run appears twice, so a rejected run's status now is the status that rejected it.
  await fillCurrentStatus(ctx, trx, results);
  const done = plans.filter((plan) => applied.has(plan.runId));
  await recordAttempts(
    ctx,
    trx,
    done.map((plan) => ({ plan, row: applied.get(plan.runId)! })),
  );
  const wake = new Set(
    done
      .filter((plan) => makesDueNow(ctx, plan, applied.get(plan.runId)!.status as RunStatus))
      .map((plan) => applied.get(plan.runId)!.queue as string),
  );
  if (wake.size > 0) await ctx.adapter.notifyWork(trx, ctx, [...wake]);
  return results;
}

/**
 * Groups plans whose column assignments (`finishAssignments`) are identical, keeping input order
 * within and between groups: each group can be applied by one `UPDATE … WHERE id IN (…)`.
 */
export function groupBySameEffect(plans: readonly FinishPlan[]): FinishPlan[][] {
  const groups = new Map<string, FinishPlan[]>();
  for (const plan of plans) {
    const key = JSON.stringify([
      plan.status,
      plan.terminal,
      plan.runAt?.getTime() ?? null,
      plan.delayMs,
      plan.setError,
      plan.error,
      plan.maxAttemptsIncrement,
    ]);
    const group = groups.get(key);
    if (group) group.push(plan);
    else groups.set(key, [plan]);
  }
  return [...groups.values()];
}

/** One multi-row insert (per chunk) of the ended attempts. */
async function recordAttempts(
  ctx: SqlContext,
  trx: SqlExecutor,
  ended: readonly { plan: FinishPlan; row: Record<string, unknown> }[],
): Promise<void> {
  const now = ctx.now();
  for (let start = 0; start < ended.length; start += ctx.adapter.maxRowsPerStatement) {
    const values = ended
      .slice(start, start + ctx.adapter.maxRowsPerStatement)
      .map(({ plan, row }) => attemptRecordValues(ctx, plan, row.status as RunStatus, row.started_at, now));
    await trx.insertInto(ctx.tables.attempts).values(values).execute();
  }
}

async function finishInTransaction(
  ctx: SqlContext,
  trx: SqlExecutor,
  plans: readonly FinishPlan[],
): Promise<FinishRowResult[]> {
  const { adapter, tables } = ctx;
  const wake = new Set<string>();
  const results: FinishRowResult[] = [];
  const ended: { plan: FinishPlan; row: Record<string, unknown> }[] = [];
  for (const plan of plans) {
    const update = trx
      .updateTable(tables.runs)
      .set(finishAssignments(ctx, plan))
      .where('id', '=', plan.runId)
      .where('lease_owner', '=', plan.workerName)
      .where('attempt', '=', plan.attempt)
      .where('status', '=', 'leased');
    const row = adapter.supportsReturning
      ? await update.returning(['status', 'started_at', 'queue']).executeTakeFirst()
      : await updateThenRead(trx, ctx, update, plan);
    if (row === undefined) {
      // Read now, not after the batch: a later finish of the same run must not show through.
      const current = await trx
        .selectFrom(tables.runs)
        .select('status')
        .where('id', '=', plan.runId)
        .executeTakeFirst();
      results.push({
        runId: plan.runId,
        applied: false,
        ...(current ? { status: current.status as RunStatus } : {}),
      });
      continue;
    }
    const status = row.status as RunStatus;
    results.push({ runId: plan.runId, applied: true, status });
    ended.push({ plan, row });
    if (makesDueNow(ctx, plan, status)) wake.add(row.queue as string);
  }
  await recordAttempts(ctx, trx, ended);
  if (wake.size > 0) await adapter.notifyWork(trx, ctx, [...wake]);
  return results;
}

/** Whether a finish makes its run claimable at once (so idle workers should be woken). */
export function makesDueNow(ctx: SqlContext, plan: FinishPlan, status: RunStatus): boolean {
  if (status !== 'pending' && status !== 'waiting_retry') return false;
  const now = ctx.clock ? ctx.clock.now().getTime() : Date.now();
  return plan.runAt ? plan.runAt.getTime() <= now : (plan.delayMs ?? 0) <= 0;
}

/** The attempt's recorded outcome: `cancelled` when a cancellation request overrode the plan. */
export function attemptOutcomeOf(plan: FinishPlan, status: RunStatus): FinishPlan['attemptOutcome'] {
  return status === 'cancelled' && !plan.terminal ? 'cancelled' : plan.attemptOutcome;
}

/**
 * The column values of the attempts row that records an applied finish: `status` is the run's status
 * after it (for the outcome), `startedAt` the attempt's start as a value the database accepts (null
 * or undefined: `now`), `now` the store's now (the attempt's end).
 */
export function attemptRecordValues(
  ctx: SqlContext,
  plan: FinishPlan,
  status: RunStatus,
  startedAt: unknown,
  now: RawBuilder<unknown>,
): Record<string, unknown> {
  return {
    run_id: plan.runId,
    attempt: plan.attempt,
    worker_name: plan.workerName,
    started_at: startedAt ?? now,
    finished_at: now,
    outcome: attemptOutcomeOf(plan, status),
    error: plan.error ? ctx.adapter.jsonValue(JSON.stringify(plan.error)) : null,
  };
}

async function updateThenRead(
  trx: SqlExecutor,
  ctx: SqlContext,
  update: { executeTakeFirst(): Promise<{ numUpdatedRows: bigint }> },
  plan: FinishPlan,
): Promise<Record<string, unknown> | undefined> {
  const result = await update.executeTakeFirst();
  if (Number(result.numUpdatedRows) === 0) return undefined;
  return trx
    .selectFrom(ctx.tables.runs)
    .select(['status', 'started_at', 'queue'])
    .where('id', '=', plan.runId)
    .executeTakeFirst();
}

/**
 * The column assignments of one finish (shared by every dialect's finish statement). A run whose
 * cancellation was requested ends `cancelled` even when its worker reports retry, snooze or
 * interrupt: the request wins.
 */
export function finishAssignments(ctx: SqlContext, plan: FinishPlan): Record<string, unknown> {
  const { adapter } = ctx;
  const now = ctx.now();
  const set: Record<string, unknown> = { lease_owner: null, lease_expires_at: null };
  if (plan.terminal) {
    set.status = plan.status;
    set.finished_at = now;
  } else {
    set.status = sql`case when cancel_requested_at is null then ${plan.status} else 'cancelled' end`;
    set.finished_at = sql`case when cancel_requested_at is null then null else ${now} end`;
  }
  if (plan.runAt) set.run_at = adapter.timeValue(plan.runAt);
  else if (plan.delayMs !== null) set.run_at = adapter.addMilliseconds(now, plan.delayMs);
  if (plan.setError) set.last_error = plan.error ? adapter.jsonValue(JSON.stringify(plan.error)) : null;
  if (plan.maxAttemptsIncrement !== 0) set.max_attempts = sql`max_attempts + ${plan.maxAttemptsIncrement}`;
  return set;
}

/** Fills in the current status of the finishes the fence rejected (absent when the run is gone). */
export async function fillCurrentStatus(
  ctx: SqlContext,
  trx: SqlExecutor,
  results: FinishRowResult[],
): Promise<void> {
  const rejected = results.filter((result) => !result.applied).map((result) => result.runId);
  if (rejected.length === 0) return;
  const rows = await trx
    .selectFrom(ctx.tables.runs)
    .select(['id', 'status'])
    .where('id', 'in', rejected)
    .execute();
  const statuses = new Map(rows.map((row) => [String(row.id), row.status as RunStatus]));
  for (const result of results) {
    const status = statuses.get(result.runId);
    if (!result.applied && status) result.status = status;
  }
}
