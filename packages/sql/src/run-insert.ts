import {
  InvalidArgumentError,
  newRunId,
  RunKeyConflictError,
  type NewRun,
  type RunInsertManyParams,
  type RunInsertResult,
} from '@durably/core';
import type { RawBuilder } from 'kysely';
import type { RunInsertRow, SqlContext } from './sql-context.js';
import type { SqlExecutor } from './sql-dialect-adapter.js';

const activeStatuses = ['pending', 'leased', 'waiting_retry'] as const;

/**
 * `runInsertMany`: runs without a key go in one statement (the dialect's bulk insert), group-
 * committed with other callers' when there is no caller transaction; runs with a key are inserted
 * one by one, with `ON CONFLICT DO NOTHING` against the active-key unique index, so the database
 * (not a read-then-write race) decides who holds the key. With the caller's transaction, everything
 * happens inside it: the runs exist if and only if it commits.
 */
export async function insertRunMany(
  ctx: SqlContext,
  params: RunInsertManyParams,
): Promise<RunInsertResult[]> {
  const executor = params.transaction === undefined ? ctx.db : toCallerTransaction(params.transaction);
  const rows = params.runs.map((run) => toInsertRow(run));
  if (rows.length === 0) return [];
  const keyless = rows.filter((row) => row.key === null);
  if (keyless.length === rows.length && params.transaction === undefined) {
    await ctx.insertCoalesced(rows); // works out its batch's wake-ups itself
    return rows.map((row) => ({ runId: row.id, outcome: 'inserted' }));
  }
  const notifyQueues = dueNowQueues(ctx, rows);
  if (keyless.length === rows.length) {
    await ctx.write((trx) => ctx.adapter.insertRuns(ctx, trx, rows, { notifyQueues }), executor);
    return rows.map((row) => ({ runId: row.id, outcome: 'inserted' }));
  }
  return ctx.transaction(async (trx) => {
    const results = new Map<string, RunInsertResult>();
    if (keyless.length > 0) {
      await ctx.adapter.insertRuns(ctx, trx, keyless, { notifyQueues: [] });
      for (const row of keyless) results.set(row.id, { runId: row.id, outcome: 'inserted' });
    }
    for (const [index, row] of rows.entries()) {
      if (row.key === null) continue;
      results.set(row.id, await insertKeyedRun(ctx, trx, row, params.runs[index]!.keyConflict));
    }
    if (notifyQueues.length > 0) await ctx.adapter.notifyWork(trx, ctx, notifyQueues);
    return rows.map((row) => results.get(row.id)!);
  }, executor);
}

/** The distinct queues of rows due now: one wake-up per queue per batch, not one per row. */
export function dueNowQueues(ctx: SqlContext, rows: readonly RunInsertRow[]): string[] {
  const now = ctx.clock ? ctx.clock.now().getTime() : Date.now();
  const due = rows.filter(
    (row) => row.status === 'pending' && (row.runAt === null || row.runAt.getTime() <= now),
  );
  return [...new Set(due.map((row) => row.queue))];
}

/** The row of a new run; `id` is a fresh time-ordered UUID (`newRunId`). */
export function toInsertRow(run: NewRun, extra: Partial<RunInsertRow> = {}): RunInsertRow {
  if (!Number.isInteger(run.maxAttempts) || run.maxAttempts < 1) {
    throw new InvalidArgumentError('maxAttempts', `must be an integer >= 1, got ${run.maxAttempts}.`);
  }
  if (!Number.isInteger(run.priority)) {
    throw new InvalidArgumentError('priority', `must be an integer, got ${run.priority}.`);
  }
  return {
    id: newRunId(),
    jobName: run.jobName,
    queue: run.queue,
    priority: run.priority,
    maxAttempts: run.maxAttempts,
    payloadJson: run.payloadJson,
    metadataJson: JSON.stringify(run.metadata ?? {}),
    runAt: run.runAt,
    scheduledFor: null,
    key: run.key,
    origin: run.origin,
    status: 'pending',
    slotAt: null,
    ...extra,
  };
}

async function insertKeyedRun(
  ctx: SqlContext,
  trx: SqlExecutor,
  row: RunInsertRow,
  behavior: NewRun['keyConflict'],
): Promise<RunInsertResult> {
  const { tables } = ctx;
  // The key's holder can finish between our insert and our read; then the insert is retried.
  for (let round = 0; round < 5; round += 1) {
    const inserted = await ctx.adapter.insertRuns(ctx, trx, [row], { notifyQueues: [] });
    if (inserted.has(row.id)) return { runId: row.id, outcome: 'inserted' };
    const existing = await trx
      .selectFrom(tables.runs)
      .select(['id', 'status'])
      .where('job_name', '=', row.jobName)
      .where('run_key', '=', row.key)
      .where('status', 'in', activeStatuses)
      .executeTakeFirst();
    if (!existing) continue;
    const existingId = String(existing.id);
    if (behavior === 'keep-existing') return { runId: existingId, outcome: 'existing' };
    if (behavior === 'reject') {
      throw new RunKeyConflictError(row.jobName, row.key!, existingId, 'an active run already has this key');
    }
    if (await replacePendingRun(ctx, trx, existingId, row)) return { runId: existingId, outcome: 'replaced' };
    throw new RunKeyConflictError(
      row.jobName,
      row.key!,
      existingId,
      'the run with this key is already running and cannot be replaced; use keep-existing or wait for it',
    );
  }
  throw new Error(
    `Could not insert run of job "${row.jobName}" with key "${row.key}": the key kept changing hands.`,
  );
}

async function replacePendingRun(
  ctx: SqlContext,
  trx: SqlExecutor,
  runId: string,
  row: RunInsertRow,
): Promise<boolean> {
  const { adapter } = ctx;
  const runAt = row.runAt ? adapter.timeValue(row.runAt) : ctx.now();
  const result = await trx
    .updateTable(ctx.tables.runs)
    .set({
      payload: adapter.jsonValue(row.payloadJson),
      metadata: adapter.jsonValue(row.metadataJson),
      priority: row.priority,
      run_at: runAt,
      scheduled_for: runAt,
    })
    .where('id', '=', runId)
    .where('status', 'in', ['pending', 'waiting_retry'])
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** The caller's Kysely transaction, checked: it must be a transaction, not a plain Kysely instance. */
function toCallerTransaction(transaction: unknown): SqlExecutor {
  const candidate = transaction as Partial<SqlExecutor> | null;
  if (!candidate || typeof candidate.selectFrom !== 'function' || candidate.isTransaction !== true) {
    throw new InvalidArgumentError(
      'transaction',
      'must be an open Kysely Transaction on the same database (db.transaction().execute(trx => …)).',
    );
  }
  // Our queries name their columns themselves: the caller's plugins (e.g. CamelCasePlugin) must not
  // rewrite them.
  return (candidate as SqlExecutor).withoutPlugins();
}

/**
 * Multi-row `INSERT … ON CONFLICT DO NOTHING RETURNING id`, in chunks that keep bound parameters
 * under the driver's limit. Works on PostgreSQL and SQLite; MySQL/SQL Server override `insertRunRows`.
 */
export async function insertRunsPortable(
  ctx: SqlContext,
  executor: SqlExecutor,
  rows: readonly RunInsertRow[],
): Promise<Set<string>> {
  const inserted = new Set<string>();
  const chunk = ctx.adapter.maxRowsPerStatement;
  for (let start = 0; start < rows.length; start += chunk) {
    const now = ctx.now();
    const values = rows.slice(start, start + chunk).map((row) => runInsertValues(ctx, row, now));
    const result = await executor
      .insertInto(ctx.tables.runs)
      .values(values)
      .onConflict((conflict) => conflict.doNothing())
      .returning('id')
      .execute();
    for (const row of result) inserted.add(String(row.id));
  }
  return inserted;
}

/**
 * The column values of one new run row, for a dialect's own `INSERT` (every dialect writes the same
 * columns; only the statement around them differs). `now` is the store's now (default
 * `ctx.now()`): it fills `created_at`, and `run_at` / `scheduled_for` when the row leaves them null.
 */
export function runInsertValues(
  ctx: SqlContext,
  row: RunInsertRow,
  now: RawBuilder<unknown> = ctx.now(),
): Record<string, unknown> {
  const { adapter } = ctx;
  const runAt = row.runAt ? adapter.timeValue(row.runAt) : now;
  return {
    id: row.id,
    job_name: row.jobName,
    queue: row.queue,
    status: row.status,
    priority: row.priority,
    attempt: 0,
    max_attempts: row.maxAttempts,
    payload: adapter.jsonValue(row.payloadJson),
    metadata: adapter.jsonValue(row.metadataJson),
    run_at: runAt,
    scheduled_for: row.scheduledFor ? adapter.timeValue(row.scheduledFor) : runAt,
    created_at: now,
    finished_at: row.status === 'skipped' ? now : null,
    run_key: row.key,
    origin: row.origin,
    slot_at: row.slotAt ? adapter.timeValue(row.slotAt) : null,
  };
}

/**
 * Runs `work`, which issues `statements` statements, so that they apply all or none: on `executor`
 * itself when there is one statement, else in a store transaction (`ctx.transaction`: `executor`
 * itself when it is already one, and retried after a deadlock like every store transaction). For a
 * dialect's `insertRunRows` that needs several statements per batch.
 */
export function allOrNothing<T>(
  ctx: SqlContext,
  executor: SqlExecutor,
  statements: number,
  work: (executor: SqlExecutor) => Promise<T>,
): Promise<T> {
  return statements > 1 ? ctx.transaction(work, executor) : work(executor);
}
