import type { EnqueueSpan, Instrumentation } from '../instrumentation.js';
import type { NewRun, RunInsertResult } from '../store.js';

/**
 * Runs one store insert inside the instrumentation's `enqueue` hook: the hook's `metadata` (trace
 * context) is merged under each run's own metadata (the caller's keys win), and the span is ended
 * with the run ids or the error. A hook that throws, or returns something unusable, is ignored:
 * telemetry never costs an enqueue.
 *
 * @param info.origin `enqueue`, `schedule` or `run-now` — what the runs' `origin` says.
 */
export async function instrumentEnqueue(
  instrumentation: Instrumentation | undefined,
  info: { jobName: string; queue: string; origin: string },
  runs: NewRun[],
  insert: (runs: NewRun[]) => Promise<RunInsertResult[]>,
): Promise<RunInsertResult[]> {
  const hook = instrumentation?.enqueue;
  if (!hook) return insert(runs);
  const span = safe(() => hook.call(instrumentation, { ...info, count: runs.length }));
  const extra = stringEntries(safe(() => span?.metadata));
  const withTrace =
    extra.length === 0
      ? runs
      : runs.map((run) => ({ ...run, metadata: { ...Object.fromEntries(extra), ...run.metadata } }));
  let results: RunInsertResult[];
  try {
    results = await insert(withTrace);
  } catch (error) {
    endSpan(span, { error });
    throw error;
  }
  endSpan(span, { runIds: results.map((result) => result.runId) });
  return results;
}

/** The one value shared by every element, or `fallback` when they differ (a mixed bulk enqueue). */
export function commonValue<T>(values: readonly T[], fallback: T): T {
  return values.length > 0 && values.every((value) => value === values[0]) ? values[0]! : fallback;
}

function endSpan(span: EnqueueSpan | undefined, result: Parameters<EnqueueSpan['end']>[0]): void {
  safe(() => span?.end(result));
}

/** Only string → string entries: metadata is stored as such, and a hook's mistake must not fail the insert. */
function stringEntries(metadata: unknown): [string, string][] {
  if (typeof metadata !== 'object' || metadata === null) return [];
  return Object.entries(metadata).filter(
    (entry): entry is [string, string] => typeof entry[1] === 'string' && entry[0] !== '__proto__',
  );
}

function safe<T>(call: () => T): T | undefined {
  try {
    return call();
  } catch {
    return undefined;
  }
}
