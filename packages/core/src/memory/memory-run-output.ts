import type { RunLogLine } from '../model.js';
import type { NewLogLine, ProgressUpdate } from '../store.js';
import { storeArguments } from '../store-arguments.js';
import { isFenceHeld, type MemoryContext, type StoredLogLine } from './memory-state.js';

/**
 * `runProgressSet`: sets progress (fenced; updates from a stale attempt are dropped silently, as the
 * contract returns nothing). `percent` must be within 0–100; the last update for a run wins.
 */
export function setProgress(ctx: MemoryContext, updates: readonly ProgressUpdate[]): void {
  updates.forEach((update, index) => storeArguments.progress(update, `updates[${index}]`));
  for (const update of updates) {
    const run = ctx.state.runs.get(update.runId);
    if (!run || !isFenceHeld(run, update)) continue;
    run.progressPercent = update.percent;
    run.progressMessage = update.message;
  }
}

/**
 * `runLogAppend`: appends the lines whose attempt holds the lease (others are dropped), then keeps
 * the newest `maxLinesPerRun` lines of each run touched. "Newest" orders by `at`, then by append
 * order for lines with the same `at`.
 */
export function appendLogs(ctx: MemoryContext, params: { lines: readonly NewLogLine[]; maxLinesPerRun: number }): void {
  storeArguments.positiveInteger(params.maxLinesPerRun, 'maxLinesPerRun');
  params.lines.forEach((line, index) => storeArguments.date(line.at, `lines[${index}].at`));
  const touched = new Set<string>();
  for (const line of params.lines) {
    const run = ctx.state.runs.get(line.runId);
    if (!run || !isFenceHeld(run, line)) continue;
    const stored: StoredLogLine = {
      runId: line.runId,
      attempt: line.attempt,
      at: line.at.getTime(),
      level: line.level,
      message: line.message,
      sequence: ctx.state.nextLogSequence++,
    };
    const list = ctx.state.logs.get(line.runId);
    if (list) list.push(stored);
    else ctx.state.logs.set(line.runId, [stored]);
    touched.add(line.runId);
  }
  for (const runId of touched) {
    const list = ctx.state.logs.get(runId) ?? [];
    list.sort((a, b) => a.at - b.at || a.sequence - b.sequence);
    if (list.length > params.maxLinesPerRun) list.splice(0, list.length - params.maxLinesPerRun);
  }
}

/**
 * `runLogList`: a run's lines in chronological order (`at`, then append order). With `limit`, the
 * newest `limit` lines, still oldest first, as a log tail shows them. Unknown run → `[]`.
 */
export function listLogs(ctx: MemoryContext, params: { runId: string; limit?: number }): RunLogLine[] {
  if (params.limit !== undefined) storeArguments.positiveInteger(params.limit, 'limit');
  const list = ctx.state.logs.get(params.runId) ?? [];
  const selected = params.limit === undefined ? list : list.slice(Math.max(0, list.length - params.limit));
  return selected.map((line) => ({
    runId: line.runId,
    attempt: line.attempt,
    at: new Date(line.at),
    level: line.level,
    message: line.message,
  }));
}
