import type { NewLogLine, ProgressUpdate } from '@durably/core';
import { sql } from 'kysely';
import type { SqlContext } from './sql-context.js';
import type { SqlExecutor } from './sql-dialect-adapter.js';
import { isRunId } from './run-id.js';

/** `runProgressSet`: fenced updates (a zombie worker's progress is dropped), in one transaction. */
export async function setRunProgress(ctx: SqlContext, updates: readonly ProgressUpdate[]): Promise<void> {
  const valid = updates.filter((update) => isRunId(update.runId));
  if (valid.length === 0) return;
  await ctx.transaction(async (trx) => {
    for (const update of valid) {
      await trx
        .updateTable(ctx.tables.runs)
        .set({ progress_percent: update.percent, progress_message: update.message })
        .where('id', '=', update.runId)
        .where('lease_owner', '=', update.workerName)
        .where('attempt', '=', update.attempt)
        .where('status', '=', 'leased')
        .execute();
    }
  });
}

/**
 * `runLogAppend`: keeps the lines of attempts that still hold their lease, in one multi-row insert,
 * then trims each touched run to its newest `maxLinesPerRun` lines — all in one transaction.
 */
export async function appendRunLogs(
  ctx: SqlContext,
  lines: readonly NewLogLine[],
  maxLinesPerRun: number,
): Promise<void> {
  const candidates = lines.filter((line) => isRunId(line.runId));
  if (candidates.length === 0) return;
  await ctx.transaction(async (trx) => {
    const live = await liveAttempts(ctx, trx, candidates);
    const kept = candidates.filter((line) => live.has(refKey(line)));
    if (kept.length === 0) return;
    for (let start = 0; start < kept.length; start += ctx.adapter.maxRowsPerStatement) {
      const chunk = kept.slice(start, start + ctx.adapter.maxRowsPerStatement);
      await trx
        .insertInto(ctx.tables.logs)
        .values(
          chunk.map((line) => ({
            run_id: line.runId,
            attempt: line.attempt,
            at: ctx.adapter.timeValue(line.at),
            level: line.level,
            message: line.message,
          })),
        )
        .execute();
    }
    for (const runId of new Set(kept.map((line) => line.runId)))
      await trimLogs(ctx, trx, runId, maxLinesPerRun);
  });
}

const refKey = (ref: { runId: string; workerName: string; attempt: number }) =>
  `${ref.runId}\u0000${ref.workerName}\u0000${ref.attempt}`;

async function liveAttempts(
  ctx: SqlContext,
  trx: SqlExecutor,
  lines: readonly NewLogLine[],
): Promise<Set<string>> {
  const rows = await trx
    .selectFrom(ctx.tables.runs)
    .select(['id', 'lease_owner', 'attempt'])
    .where('id', 'in', [...new Set(lines.map((line) => line.runId))])
    .where('status', '=', 'leased')
    .execute();
  return new Set(
    rows.map((row) =>
      refKey({
        runId: String(row.id),
        workerName: row.lease_owner as string,
        attempt: ctx.adapter.readInteger(row.attempt),
      }),
    ),
  );
}

async function trimLogs(ctx: SqlContext, trx: SqlExecutor, runId: string, maxLines: number): Promise<void> {
  const keep = Math.max(0, Math.floor(maxLines));
  // The id of the oldest line to keep; everything older goes.
  const boundary = await trx
    .selectFrom(ctx.tables.logs)
    .select('id')
    .where('run_id', '=', runId)
    .orderBy('id', 'desc')
    .offset(Math.max(0, keep - 1))
    .limit(1)
    .executeTakeFirst();
  if (keep === 0) {
    await trx.deleteFrom(ctx.tables.logs).where('run_id', '=', runId).execute();
    return;
  }
  if (!boundary) return;
  await trx
    .deleteFrom(ctx.tables.logs)
    .where('run_id', '=', runId)
    .where('id', '<', sql`${boundary.id}`)
    .execute();
}
