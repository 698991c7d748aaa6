import { AssertionError } from 'node:assert';
import type { DurablyStore, Run, RunStatus } from '@durably/core';

/** A job definition (anything with a `name`) or a job name. */
export type JobReference = string | { readonly name: string };

/** Options of {@link listEnqueued}. */
export interface ListEnqueuedOptions {
  /** Statuses that count as enqueued. Default `['pending', 'waiting_retry']`: waiting to execute. */
  statuses?: readonly RunStatus[];
}

/** Options of {@link expectEnqueued}. */
export interface ExpectEnqueuedOptions extends ListEnqueuedOptions {
  /**
   * Matches runs whose payload contains this value: object properties given must match (others are
   * ignored, at any depth); arrays and primitives must match exactly.
   */
  payload?: unknown;
  /** Exactly this many matching runs. Default: at least one. */
  count?: number;
  /** Only runs in this queue. */
  queue?: string;
}

const defaultStatuses: readonly RunStatus[] = ['pending', 'waiting_retry'];
const pageSize = 500;

function jobName(job: JobReference): string {
  return typeof job === 'string' ? job : job.name;
}

/**
 * Lists the runs of a job that are waiting to execute (`pending` or `waiting_retry` unless
 * `statuses` says otherwise), oldest first.
 *
 * @example
 * const runs = await listEnqueued(store, sendWelcome);
 * expect(runs.map((run) => run.payload)).toEqual([{ userId: 'u1' }]);
 */
export async function listEnqueued(store: DurablyStore, job: JobReference, options: ListEnqueuedOptions = {}): Promise<Run[]> {
  const runs: Run[] = [];
  let cursor: string | undefined;
  do {
    const page = await store.runList({
      jobName: jobName(job),
      statuses: options.statuses ?? defaultStatuses,
      limit: pageSize,
      cursor,
    });
    runs.push(...page.runs);
    cursor = page.nextCursor ?? undefined;
  } while (cursor !== undefined);
  // runList pages newest first; tests read more naturally in enqueue order.
  return runs.reverse();
}

/**
 * Asserts that a job has enqueued runs matching `payload` (a partial match; see
 * {@link ExpectEnqueuedOptions.payload}) — exactly `count` of them when given, else at least one —
 * and returns the matching runs. Throws an `AssertionError` that lists what was enqueued instead.
 *
 * @example
 * await expectEnqueued(store, sendWelcome, { payload: { userId: 'u1' }, count: 1 });
 */
export async function expectEnqueued(store: DurablyStore, job: JobReference, options: ExpectEnqueuedOptions = {}): Promise<Run[]> {
  const all = await listEnqueued(store, job, options);
  const matching = all.filter((run) => matchesRun(run, options));
  const ok = options.count === undefined ? matching.length > 0 : matching.length === options.count;
  if (!ok) {
    const wanted = options.count === undefined ? 'at least 1' : String(options.count);
    throw new AssertionError({
      message: `Expected ${wanted} enqueued run(s) of job "${jobName(job)}"${describeFilter(options)}, found ${matching.length}.\n${describeRuns(jobName(job), all)}`,
      actual: matching.length,
      expected: options.count ?? 1,
      operator: options.count === undefined ? '>=' : '===',
    });
  }
  return matching;
}

/**
 * Asserts that a job has no enqueued run matching `payload` (or none at all without `payload`).
 *
 * @example
 * await expectNotEnqueued(store, sendWelcome, { payload: { userId: 'deleted-user' } });
 */
export async function expectNotEnqueued(
  store: DurablyStore,
  job: JobReference,
  options: Omit<ExpectEnqueuedOptions, 'count'> = {},
): Promise<void> {
  await expectEnqueued(store, job, { ...options, count: 0 });
}

function matchesRun(run: Run, options: ExpectEnqueuedOptions): boolean {
  if (options.queue !== undefined && run.queue !== options.queue) return false;
  return options.payload === undefined || matchesPartially(run.payload, options.payload);
}

/** Whether `actual` contains `expected`: objects by the given keys (recursively), the rest exactly. */
export function matchesPartially(actual: unknown, expected: unknown): boolean {
  if (Array.isArray(expected)) {
    return (
      Array.isArray(actual) &&
      actual.length === expected.length &&
      expected.every((item, index) => matchesPartially(actual[index], item))
    );
  }
  if (typeof expected === 'object' && expected !== null) {
    if (typeof actual !== 'object' || actual === null || Array.isArray(actual)) return false;
    const record = actual as Record<string, unknown>;
    return Object.entries(expected).every(([key, value]) => key in record && matchesPartially(record[key], value));
  }
  return Object.is(actual, expected);
}

function describeFilter(options: ExpectEnqueuedOptions): string {
  const parts: string[] = [];
  if (options.payload !== undefined) parts.push(`payload matching ${JSON.stringify(options.payload)}`);
  if (options.queue !== undefined) parts.push(`queue "${options.queue}"`);
  return parts.length === 0 ? '' : ` with ${parts.join(' and ')}`;
}

function describeRuns(name: string, runs: readonly Run[]): string {
  if (runs.length === 0) return `No run of "${name}" is enqueued.`;
  const shown = runs.slice(0, 10).map(
    (run) => `  - ${run.runId} ${run.status} queue=${run.queue} runAt=${run.runAt.toISOString()} payload=${JSON.stringify(run.payload)}`,
  );
  const more = runs.length > shown.length ? `\n  … and ${runs.length - shown.length} more` : '';
  return `Enqueued runs of "${name}" (${runs.length}):\n${shown.join('\n')}${more}`;
}
