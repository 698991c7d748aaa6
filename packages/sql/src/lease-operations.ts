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
    const leaseExpiresAt = await selectTime(ctx, db, adapter.addMilliseconds(ctx.now(), params.leaseDurationMs));
    return { extended: [], lost: params.attempts.map((a) => a.runId), cancelRequested: [], leaseExpiresAt };
  }
  const rows = await ctx.write(async (executor) => {
    const update = executor
      .updateTable(tables.runs)
      .set({ lease_expires_at: adapter.addMilliseconds(ctx.now(), params.leaseDurationMs) })
      .where('status', '=', 'leased')
      .where('lease_owner', '=', params.workerName)
      .where((eb) => eb.or(attempts.map((a) => eb.and([eb('id', '=', a.runId), eb('attempt', '=', a.attempt)]))));
    if (adapter.supportsReturning) {
      return update.returning(['id', 'attempt', 'cancel_requested_at', 'lease_expires_at']).execute();
    }
    await update.execute();
    return executor
      .selectFrom(tables.runs)
      .select(['id', 'attempt', 'cancel_requested_at', 'lease_expires_at'])
      .where('status', '=', 'leased')
      .where('lease_owner', '=', params.workerName)
      .where('id', 'in', attempts.map((a) => a.runId))
      .execute()
      .then((found) => found.filter((row) => attempts.some((a) => a.runId === String(row.id) && a.attempt === Number(row.attempt))));
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
export async function selectTime(ctx: SqlContext, db: SqlExecutor, expression: Expression<unknown> | RawBuilder<unknown>): Promise<Date> {
  const result = await sql<{ t: unknown }>`select ${expression} as t`.execute(db);
  return ctx.adapter.readTime(result.rows[0]!.t);
}

/** Error recorded on an attempt whose worker stopped renewing its lease. */
const leaseExpiredError = (workerName: string) => ({
  name: 'LeaseExpiredError',
  message: `The lease of worker "${workerName}" expired: it stopped heartbeating (crashed, stalled or lost its connection).`,
});

/**
 * `leaseReapExpired`: in one transaction, locks up to `limit` runs whose lease expired, records each
 * lost attempt as `lease_expired`, and moves the run on: cancelled if cancellation was requested,
 * failed when no attempts are left (a poison pill that kills its worker ends here), else pending and
 * due now.
 */
export async function reapExpiredLeases(ctx: SqlContext, params: LeaseReapExpiredParams): Promise<ReapedRun[]> {
  const { adapter, tables } = ctx;
  if (params.limit <= 0) return [];
  return ctx.transaction(async (trx) => {
    const now = ctx.now();
    let query = trx
      .selectFrom(tables.runs)
      .select(['id', 'job_name', 'attempt', 'max_attempts', 'lease_owner', 'started_at', 'cancel_requested_at'])
      .where('status', '=', 'leased')
      .where('lease_expires_at', '<=', now)
      .orderBy('lease_expires_at')
      .limit(params.limit);
    if (adapter.supportsSkipLocked) query = query.forUpdate().skipLocked();
    const rows = await query.execute();
    if (rows.length === 0) return [];
    const reaped: ReapedRun[] = rows.map((row) => ({
      runId: String(row.id),
      jobName: row.job_name as string,
      attempt: adapter.readInteger(row.attempt),
      workerName: (row.lease_owner as string | null) ?? '',
      status:
        row.cancel_requested_at !== null
          ? 'cancelled'
          : adapter.readInteger(row.attempt) >= adapter.readInteger(row.max_attempts)
            ? 'failed'
            : 'pending',
    }));
    for (const status of ['pending', 'failed', 'cancelled'] as const) {
      const ids = reaped.filter((run) => run.status === status).map((run) => run.runId);
      if (ids.length === 0) continue;
      const set: Record<string, unknown> = { status, lease_owner: null, lease_expires_at: null };
      if (status === 'pending') set.run_at = now;
      else set.finished_at = now;
      // The run's last error says why its attempt ended, whatever happens to the run next.
      set.last_error = adapter.jsonValue(
        JSON.stringify(
          status === 'failed'
            ? {
                name: 'LeaseExpiredError',
                message: 'Every attempt ended with an expired lease (the worker crashed or stalled); no attempts are left.',
              }
            : {
                name: 'LeaseExpiredError',
                message: 'The worker stopped renewing the lease (crashed, stalled or lost its connection).',
              },
        ),
      );
      await trx.updateTable(tables.runs).set(set).where('id', 'in', ids).where('status', '=', 'leased').execute();
    }
    await trx
      .insertInto(tables.attempts)
      .values(
        rows.map((row, index) => ({
          run_id: reaped[index]!.runId,
          attempt: reaped[index]!.attempt,
          worker_name: reaped[index]!.workerName,
          started_at: row.started_at ?? now,
          finished_at: now,
          outcome: 'lease_expired',
          error: adapter.jsonValue(JSON.stringify(leaseExpiredError(reaped[index]!.workerName))),
        })),
      )
      .execute();
    return reaped;
  });
}
