import type { LeaseExtendParams, LeaseExtendResult, LeaseReapExpiredParams, ReapedRun } from '@durably/core';
import { sql, type Expression, type RawBuilder } from 'kysely';
import type { SqlContext } from './sql-context.js';
import type { SqlExecutor } from './sql-dialect-adapter.js';
import { isRunId } from './run-id.js';

/**
 * `leaseExtend`: one fenced statement for all of a worker's attempts, on the lease connections (so
 * a busy pool of claims and completions can never delay a heartbeat into a lost lease).
 */
export async function extendLeases(ctx: SqlContext, params: LeaseExtendParams): Promise<LeaseExtendResult> {
  const { adapter, tables } = ctx;
  const db = ctx.leaseDb;
  const attempts = params.attempts.filter((attempt) => isRunId(attempt.runId));
  if (attempts.length === 0) {
    const leaseExpiresAt = await selectTime(
      ctx,
      db,
      adapter.addMilliseconds(ctx.now(), params.leaseDurationMs),
    );
    return { extended: [], lost: params.attempts.map((a) => a.runId), cancelRequested: [], leaseExpiresAt };
  }
  const rows = await ctx.write(async (executor) => {
    const update = executor
      .updateTable(tables.runs)
      .set({ lease_expires_at: adapter.addMilliseconds(ctx.now(), params.leaseDurationMs) })
      .where('status', '=', 'leased')
      .where('lease_owner', '=', params.workerName)
      .where((eb) =>
        eb.or(attempts.map((a) => eb.and([eb('id', '=', a.runId), eb('attempt', '=', a.attempt)]))),
      );
    if (adapter.supportsReturning) {
      return update.returning(['id', 'attempt', 'cancel_requested_at', 'lease_expires_at']).execute();
    }
    await update.execute();
    return executor
      .selectFrom(tables.runs)
      .select(['id', 'attempt', 'cancel_requested_at', 'lease_expires_at'])
      .where('status', '=', 'leased')
      .where('lease_owner', '=', params.workerName)
      .where(
        'id',
        'in',
        attempts.map((a) => a.runId),
      )
      .execute()
      .then((found) =>
        found.filter((row) =>
          attempts.some((a) => a.runId === String(row.id) && a.attempt === Number(row.attempt)),
        ),
      );
  }, db);
  const extended = new Set(rows.map((row) => `${String(row.id)}/${adapter.readInteger(row.attempt)}`));
  const first = rows[0];
  const leaseExpiresAt = first
    ? adapter.readTime(first.lease_expires_at)
    : await selectTime(ctx, db, adapter.addMilliseconds(ctx.now(), params.leaseDurationMs));
  return {
    extended: rows.map((row) => String(row.id)),
    // Per entry: the same run at a stale attempt number is lost even when its current one is not.
    lost: params.attempts.filter((a) => !extended.has(`${a.runId}/${a.attempt}`)).map((a) => a.runId),
    cancelRequested: rows.filter((row) => row.cancel_requested_at !== null).map((row) => String(row.id)),
    leaseExpiresAt,
  };
}

/** Evaluates a time expression on the database (`select <expr>`). */
export async function selectTime(
  ctx: SqlContext,
  db: SqlExecutor,
  expression: Expression<unknown> | RawBuilder<unknown>,
): Promise<Date> {
  const result = await sql<{ t: unknown }>`select ${expression} as t`.execute(db);
  return ctx.adapter.readTime(result.rows[0]!.t);
}

/** Why a reaped attempt ended (on the attempt) and why its run moved on (on the run). */
const lostLease = (workerName: string) => ({
  name: 'LeaseExpiredError',
  message: `The lease of worker "${workerName}" expired: it stopped heartbeating (crashed, stalled or lost its connection).`,
});
const runErrors = {
  pending: {
    name: 'LeaseExpiredError',
    message: 'The worker stopped renewing the lease (crashed, stalled or lost its connection).',
  },
  failed: {
    name: 'LeaseExpiredError',
    message:
      'Every attempt ended with an expired lease (the worker crashed or stalled); no attempts are left.',
  },
  cancelled: { name: 'LeaseExpiredError', message: 'The lease expired after cancellation was requested.' },
} as const;

type ExpiredRow = Record<string, unknown>;

/**
 * `leaseReapExpired`: in one transaction, locks up to `limit` runs whose lease expired, records each
 * lost attempt as `lease_expired`, and moves the run on: cancelled if cancellation was requested,
 * failed when no attempts are left (a poison pill that kills its worker ends here), else pending and
 * due now (waking idle workers).
 */
export async function reapExpiredLeases(
  ctx: SqlContext,
  params: LeaseReapExpiredParams,
): Promise<ReapedRun[]> {
  return ctx.transaction(async (trx) => {
    const rows = await selectExpired(ctx, trx, params.limit);
    if (rows.length === 0) return [];
    const reaped = rows.map((row) => decideReaped(ctx, row));
    for (const status of ['pending', 'failed', 'cancelled'] as const) {
      await moveReaped(
        ctx,
        trx,
        status,
        reaped.filter((run) => run.status === status).map((run) => run.runId),
      );
    }
    await recordLostAttempts(ctx, trx, rows, reaped);
    const wake = new Set(
      rows.filter((_, index) => reaped[index]!.status === 'pending').map((row) => row.queue as string),
    );
    if (wake.size > 0) await ctx.adapter.notifyWork(trx, ctx, [...wake]);
    return reaped;
  });
}

async function selectExpired(ctx: SqlContext, trx: SqlExecutor, limit: number): Promise<ExpiredRow[]> {
  let query = trx
    .selectFrom(ctx.tables.runs)
    .select([
      'id',
      'job_name',
      'queue',
      'attempt',
      'max_attempts',
      'lease_owner',
      'started_at',
      'cancel_requested_at',
    ])
    .where('status', '=', 'leased')
    .where('lease_expires_at', '<=', ctx.now())
    .orderBy('lease_expires_at')
    .limit(limit);
  // Two reapers skip each other's rows instead of waiting (and never reap one run twice).
  if (ctx.adapter.supportsSkipLocked) query = query.forUpdate().skipLocked();
  return query.execute();
}

function decideReaped(ctx: SqlContext, row: ExpiredRow): ReapedRun {
  const attempt = ctx.adapter.readInteger(row.attempt);
  const status =
    row.cancel_requested_at !== null
      ? 'cancelled'
      : attempt >= ctx.adapter.readInteger(row.max_attempts)
        ? 'failed'
        : 'pending';
  return {
    runId: String(row.id),
    jobName: row.job_name as string,
    attempt,
    workerName: (row.lease_owner as string | null) ?? '',
    status,
  };
}

async function moveReaped(
  ctx: SqlContext,
  trx: SqlExecutor,
  status: ReapedRun['status'],
  ids: readonly string[],
): Promise<void> {
  if (ids.length === 0) return;
  const now = ctx.now();
  const set: Record<string, unknown> = {
    status,
    lease_owner: null,
    lease_expires_at: null,
    last_error: ctx.adapter.jsonValue(JSON.stringify(runErrors[status])),
  };
  if (status === 'pending') set.run_at = now;
  else set.finished_at = now;
  await trx
    .updateTable(ctx.tables.runs)
    .set(set)
    .where('id', 'in', ids)
    .where('status', '=', 'leased')
    .execute();
}

async function recordLostAttempts(
  ctx: SqlContext,
  trx: SqlExecutor,
  rows: readonly ExpiredRow[],
  reaped: readonly ReapedRun[],
): Promise<void> {
  const now = ctx.now();
  await trx
    .insertInto(ctx.tables.attempts)
    .values(
      reaped.map((run, index) => ({
        run_id: run.runId,
        attempt: run.attempt,
        worker_name: run.workerName,
        started_at: rows[index]!.started_at ?? now,
        finished_at: now,
        outcome: 'lease_expired',
        error: ctx.adapter.jsonValue(JSON.stringify(lostLease(run.workerName))),
      })),
    )
    .execute();
}
