import type { Run, RunCancelResult } from '@durably/core';
import { RunKeyConflictError } from '@durably/core';
import type { SqlContext } from './sql-context.js';
import type { SqlExecutor } from './sql-dialect-adapter.js';
import { isRunId } from './run-id.js';

const queuedStatuses = ['pending', 'waiting_retry'] as const;
const terminalStatuses = ['succeeded', 'failed', 'cancelled', 'skipped'] as const;

/** `runCancel`: queued runs end at once; a leased run gets a cancellation request for its worker. */
export async function cancelRun(ctx: SqlContext, runId: string): Promise<RunCancelResult> {
  if (!isRunId(runId)) return { outcome: 'not_found' };
  const { tables } = ctx;
  return ctx.transaction(async (trx) => {
    const now = ctx.now();
    const cancelled = await trx
      .updateTable(tables.runs)
      .set({ status: 'cancelled', finished_at: now, lease_owner: null, lease_expires_at: null })
      .where('id', '=', runId)
      .where('status', 'in', queuedStatuses)
      .executeTakeFirst();
    if (Number(cancelled.numUpdatedRows) > 0)
      return { outcome: 'cancelled', run: await readRun(ctx, trx, runId) };
    const requested = await trx
      .updateTable(tables.runs)
      .set({ cancel_requested_at: now })
      .where('id', '=', runId)
      .where('status', '=', 'leased')
      .where('cancel_requested_at', 'is', null)
      .executeTakeFirst();
    const run = await readRun(ctx, trx, runId);
    if (!run) return { outcome: 'not_found' };
    if (Number(requested.numUpdatedRows) > 0 || run.status === 'leased')
      return { outcome: 'cancel_requested', run };
    return { outcome: 'already_finished', run };
  });
}

/** `runCancelMany`: the same, for every active run of one job, in one transaction. */
export async function cancelRunsOfJob(
  ctx: SqlContext,
  jobName: string,
): Promise<{ cancelled: number; cancelRequested: number }> {
  const { tables } = ctx;
  return ctx.transaction(async (trx) => {
    const now = ctx.now();
    const cancelled = await trx
      .updateTable(tables.runs)
      .set({ status: 'cancelled', finished_at: now })
      .where('job_name', '=', jobName)
      .where('status', 'in', queuedStatuses)
      .executeTakeFirst();
    const requested = await trx
      .updateTable(tables.runs)
      .set({ cancel_requested_at: now })
      .where('job_name', '=', jobName)
      .where('status', '=', 'leased')
      .where('cancel_requested_at', 'is', null)
      .executeTakeFirst();
    return { cancelled: Number(cancelled.numUpdatedRows), cancelRequested: Number(requested.numUpdatedRows) };
  });
}

/**
 * `runRetry`: a finished run becomes pending and due now, with `max_attempts` raised so exactly one
 * more attempt is allowed. If its key is held by another active run meanwhile, RunKeyConflictError.
 */
export async function retryRun(ctx: SqlContext, runId: string): Promise<Run | undefined> {
  if (!isRunId(runId)) return undefined;
  const { tables, adapter } = ctx;
  return ctx.transaction(async (trx) => {
    const current = await readRun(ctx, trx, runId);
    if (!current || !(terminalStatuses as readonly string[]).includes(current.status)) return current;
    const now = ctx.now();
    try {
      await trx
        .updateTable(tables.runs)
        .set({
          status: 'pending',
          run_at: now,
          max_attempts: Math.max(current.maxAttempts, current.attempt + 1),
          finished_at: null,
          lease_owner: null,
          lease_expires_at: null,
          cancel_requested_at: null,
        })
        .where('id', '=', runId)
        .where('status', 'in', terminalStatuses)
        .execute();
    } catch (error) {
      if (!adapter.isUniqueViolation(error) || current.key === null) throw error;
      throw new RunKeyConflictError(
        current.jobName,
        current.key,
        runId,
        'another active run holds this key; cancel it first',
      );
    }
    await adapter.notifyWork(trx, ctx, [current.queue]);
    return readRun(ctx, trx, runId);
  });
}

/** `runDeleteFinished`: the oldest finished runs first, at most `limit`, with their attempts and logs. */
export async function deleteFinishedRuns(
  ctx: SqlContext,
  olderThanMs: number,
  limit: number,
): Promise<number> {
  const { tables, adapter } = ctx;
  return ctx.transaction(async (trx) => {
    const cutoff = adapter.addMilliseconds(ctx.now(), -olderThanMs);
    const rows = await trx
      .selectFrom(tables.runs)
      .select('id')
      .where('finished_at', 'is not', null)
      .where('finished_at', '<', cutoff)
      .where('status', 'in', terminalStatuses)
      .orderBy('finished_at')
      .limit(limit)
      .execute();
    const ids = rows.map((row) => String(row.id));
    if (ids.length === 0) return 0;
    // Status and cutoff again: a run retried since the select must survive.
    const result = await trx
      .deleteFrom(tables.runs)
      .where('id', 'in', ids)
      .where('status', 'in', terminalStatuses)
      .where('finished_at', '<', cutoff)
      .executeTakeFirst();
    await deleteOrphanedChildren(ctx, trx, ids);
    return Number(result.numDeletedRows);
  });
}

/** `runDelete`: one run of any status, with its attempts and logs. */
export async function deleteRun(ctx: SqlContext, runId: string): Promise<boolean> {
  if (!isRunId(runId)) return false;
  return ctx.transaction(async (trx) => {
    const result = await trx.deleteFrom(ctx.tables.runs).where('id', '=', runId).executeTakeFirst();
    await deleteOrphanedChildren(ctx, trx, [runId]);
    return Number(result.numDeletedRows) > 0;
  });
}

/**
 * Deletes the attempts and log lines of those `runIds` whose run no longer exists. Runs after the
 * runs' delete, in the same transaction: the delete waits for the row lock of a finish in flight,
 * so this statement (a newer snapshot under read committed) also sees that finish's attempt.
 */
async function deleteOrphanedChildren(
  ctx: SqlContext,
  trx: SqlExecutor,
  runIds: readonly string[],
): Promise<void> {
  for (const table of [ctx.tables.attempts, ctx.tables.logs]) {
    await trx
      .deleteFrom(table)
      .where('run_id', 'in', runIds)
      .where((eb) =>
        eb.not(
          eb.exists(
            eb.selectFrom(`${ctx.tables.runs} as r`).select('r.id').whereRef('r.id', '=', `${table}.run_id`),
          ),
        ),
      )
      .execute();
  }
}

/** Reads one run (inside `executor`'s transaction when given). */
export async function readRun(
  ctx: SqlContext,
  executor: SqlExecutor,
  runId: string,
): Promise<Run | undefined> {
  if (!isRunId(runId)) return undefined;
  const row = await executor
    .selectFrom(ctx.tables.runs)
    .selectAll()
    .where('id', '=', runId)
    .executeTakeFirst();
  return row ? ctx.map.run(row) : undefined;
}
