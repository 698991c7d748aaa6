import { InvalidArgumentError } from '../errors.js';
import { runStatuses, type Attempt, type RunStatus } from '../model.js';
import { payloadMatches } from '../payload-match.js';
import type { RunListParams, RunPage } from '../store.js';
import { storeArguments } from '../store-arguments.js';
import { toAttempt, toRun, type MemoryContext, type StoredRun } from './memory-state.js';

type ListOrder = NonNullable<RunListParams['order']>;

interface CursorPosition {
  order: ListOrder;
  time: number;
  runId: string;
}

/**
 * `runList` for the memory store. `created` order: `createdAt` descending, then `runId` descending;
 * `due` order: `runAt` ascending, then `runId` ascending. The cursor holds the last row's sort key
 * (keyset pagination), so pages neither repeat nor skip rows that existed when the first page was
 * read, even while runs are added. A cursor from the other order, or not from this store, is an
 * `InvalidArgumentError`. `createdAfter` is inclusive, `createdBefore` exclusive; an empty
 * `statuses` list matches nothing.
 */
export function listRuns(ctx: MemoryContext, params: RunListParams): RunPage {
  storeArguments.positiveInteger(params.limit, 'limit');
  if (params.payloadMatch !== undefined) storeArguments.payloadMatch(params.payloadMatch, 'payloadMatch');
  const order: ListOrder = params.order ?? 'created';
  const after = params.cursor === undefined ? undefined : decodeCursor(params.cursor, order);
  const sortTime = (run: StoredRun) => (order === 'created' ? run.createdAt : run.runAt);
  const direction = order === 'created' ? -1 : 1;
  const compare = (aTime: number, aId: string, bTime: number, bId: string) =>
    direction * (aTime - bTime || (aId < bId ? -1 : aId > bId ? 1 : 0));
  const rows = [...ctx.state.runs.values()]
    .filter((run) => matchesFilters(run, params))
    .filter((run) => after === undefined || compare(sortTime(run), run.runId, after.time, after.runId) > 0)
    .sort((a, b) => compare(sortTime(a), a.runId, sortTime(b), b.runId));
  const page = rows.slice(0, params.limit);
  const last = page.at(-1);
  const nextCursor =
    rows.length > params.limit && last ? encodeCursor({ order, time: sortTime(last), runId: last.runId }) : null;
  return { runs: page.map(toRun), nextCursor };
}

function matchesFilters(run: StoredRun, params: RunListParams): boolean {
  if (params.statuses !== undefined && !params.statuses.includes(run.status)) return false;
  if (params.jobName !== undefined && run.jobName !== params.jobName) return false;
  if (params.queue !== undefined && run.queue !== params.queue) return false;
  if (params.createdAfter !== undefined && run.createdAt < params.createdAfter.getTime()) return false;
  if (params.createdBefore !== undefined && run.createdAt >= params.createdBefore.getTime()) return false;
  // Parsed per run and per listing: the memory store is for tests and small apps, not for scale.
  const match = params.payloadMatch;
  if (match !== undefined && !payloadMatches(JSON.parse(run.payloadJson), match)) return false;
  return true;
}

function encodeCursor(position: CursorPosition): string {
  return Buffer.from(JSON.stringify([position.order, position.time, position.runId])).toString('base64url');
}

function decodeCursor(cursor: string, order: ListOrder): CursorPosition {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    parsed = undefined;
  }
  if (
    !Array.isArray(parsed) ||
    parsed[0] !== order ||
    typeof parsed[1] !== 'number' ||
    typeof parsed[2] !== 'string'
  ) {
    throw new InvalidArgumentError(
      'cursor',
      `not a cursor from a previous page of this listing (order "${order}"); pass the \`nextCursor\` it returned, unchanged.`,
    );
  }
  return { order, time: parsed[1], runId: parsed[2] };
}

/** `runCountByStatus`: every status is present, 0 when there is none. */
export function countRunsByStatus(ctx: MemoryContext, params: { jobName?: string; queue?: string }): Record<RunStatus, number> {
  const counts = Object.fromEntries(runStatuses.map((status) => [status, 0])) as Record<RunStatus, number>;
  for (const run of ctx.state.runs.values()) {
    if (params.jobName !== undefined && run.jobName !== params.jobName) continue;
    if (params.queue !== undefined && run.queue !== params.queue) continue;
    counts[run.status] += 1;
  }
  return counts;
}

/** `attemptList`: the ended attempts of a run, by attempt number. Unknown run → `[]`. */
export function listAttempts(ctx: MemoryContext, runId: string): Attempt[] {
  return [...(ctx.state.attempts.get(runId) ?? [])].sort((a, b) => a.attempt - b.attempt).map(toAttempt);
}
