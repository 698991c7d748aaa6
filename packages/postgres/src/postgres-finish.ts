import { type FinishPlan, type FinishRowResult, type SqlContext } from '@durably/sql';
import type { RunStatus } from '@durably/core';
import { sql } from 'kysely';
import { plainArray, textArray, timeArray } from './postgres-array-literal.js';

/**
 * The whole batch of finishes in one statement (one round trip, one commit): the plans arrive as
 * array parameters, a data-modifying CTE applies the fenced updates, a second one records the
 * attempts, and `pg_notify` wakes workers for runs made due now. The final select reports, per plan
 * in order, whether it applied; for those the fence rejected (only those: `coalesce` evaluates the
 * lookup lazily) it reads the status from the statement's snapshot (the CTEs' changes are invisible there, so it is the status that rejected
 * them). A batch naming a run twice must see its own first change: the caller sends those through
 * the portable path instead.
 *
 * The runs are found through the primary key (`id = any(array(…))`); the fence's status test is
 * written `coalesce(status, '') = 'leased'` so that it does not match the lease index's predicate.
 * Written plainly, PostgreSQL scanned the whole lease index (every leased row version since the last
 * vacuum) and hashed it, a cost that grew with every run drained: 18 % of the server's CPU in a drain.
 */
export async function finishPostgresRuns(
  ctx: SqlContext,
  plans: readonly FinishPlan[],
  channel: string,
): Promise<FinishRowResult[]> {
  const result = await finishStatement(ctx, plans, channel).execute(ctx.db);
  return result.rows.map((row, index) => {
    const outcome: FinishRowResult = { runId: plans[index]!.runId, applied: row.applied };
    if (row.status) outcome.status = row.status;
    return outcome;
  });
}

/** The batch finish statement (see `finishPostgresRuns`). */
export function finishStatement(ctx: SqlContext, plans: readonly FinishPlan[], channel: string) {
  const { tables } = ctx;
  const now = ctx.now();
  const col = <T>(pick: (plan: FinishPlan) => T): T[] => plans.map(pick);
  return sql<{ ord: string; applied: boolean; status: RunStatus | null }>`
    with input as (
      select * from unnest(
        ${textArray(col((p) => p.runId))}::uuid[], ${textArray(col((p) => p.workerName))}::text[],
        ${plainArray(col((p) => p.attempt))}::int[], ${textArray(col((p) => p.status))}::text[],
        ${plainArray(col((p) => p.terminal))}::boolean[], ${timeArray(col((p) => p.runAt))}::timestamptz[],
        ${plainArray(col((p) => p.delayMs))}::float8[], ${plainArray(col((p) => p.setError))}::boolean[],
        ${textArray(col((p) => (p.error ? JSON.stringify(p.error) : null)))}::text[],
        ${plainArray(col((p) => p.maxAttemptsIncrement))}::int[], ${textArray(col((p) => p.attemptOutcome))}::text[]
      ) with ordinality as i(id, owner, attempt, status, terminal, run_at, delay_ms, set_error, error, increment,
                             outcome, ord)
    ),
    done as (
      update ${sql.table(tables.runs)} as r set
        status = case when i.terminal or r.cancel_requested_at is null then i.status else 'cancelled' end,
        finished_at = case when i.terminal or r.cancel_requested_at is not null then ${now} end,
        lease_owner = null,
        lease_expires_at = null,
        run_at = coalesce(i.run_at, ${now} + i.delay_ms * interval '1 millisecond', r.run_at),
        last_error = case when i.set_error then i.error::jsonb else r.last_error end,
        max_attempts = r.max_attempts + i.increment
      from input as i
      where r.id = any(array(select id from input))
        and r.id = i.id and r.lease_owner = i.owner and r.attempt = i.attempt and coalesce(r.status, '') = 'leased'
      returning r.id, r.status, r.started_at, r.queue, r.run_at, i.ord
    ),
    recorded as (
      insert into ${sql.table(tables.attempts)} (run_id, attempt, worker_name, started_at, finished_at, outcome, error)
      select d.id, i.attempt, i.owner, coalesce(d.started_at, ${now}), ${now},
        case when d.status = 'cancelled' and not i.terminal then 'cancelled' else i.outcome end, i.error::jsonb
      from done as d join input as i on i.ord = d.ord
    ),
    woken as (
      select count(*) as n from (
        select pg_notify(${channel}, q.queue)
        from (select distinct queue from done where status in ('pending', 'waiting_retry') and run_at <= ${now}) as q
      ) as notified
    )
    select i.ord::text as ord, d.id is not null as applied,
      coalesce(d.status, (select r.status from ${sql.table(tables.runs)} as r where r.id = i.id)) as status
    from input as i
      left join done as d on d.ord = i.ord
      cross join woken
    order by i.ord`;
}
