import { newRunId } from '../run-id.js';
import { InvalidArgumentError, RunKeyConflictError } from '../errors.js';
import type { NewRun, RunInsertManyParams, RunInsertResult } from '../store.js';
import { storeArguments } from '../store-arguments.js';
import type { MemoryContext, StoredRun } from './memory-state.js';
import { isActiveStatus } from './memory-run-status.js';

/**
 * `runInsertMany` for the memory store. The batch is planned first and applied only when every run
 * in it is accepted, so a `reject` conflict in the middle leaves the store unchanged (atomic).
 * Runs earlier in the batch count for key uniqueness of later ones.
 */
export function insertRuns(ctx: MemoryContext, params: RunInsertManyParams): RunInsertResult[] {
  if (params.transaction !== undefined) {
    throw new InvalidArgumentError(
      'transaction',
      'the memory store cannot join a caller transaction (capabilities.transactionalEnqueue is false). ' +
        'Enqueue without `transaction`, or use a SQL store.',
    );
  }
  params.runs.forEach((run, index) => storeArguments.newRun(run, `runs[${index}]`));
  const now = ctx.now();
  const staged = new Map<string, StoredRun>();
  const results = params.runs.map((run) => planInsert(ctx, staged, run, now));
  for (const record of staged.values()) ctx.state.runs.set(record.runId, record);
  notifyDue(ctx, staged.values(), now);
  return results;
}

function planInsert(
  ctx: MemoryContext,
  staged: Map<string, StoredRun>,
  run: NewRun,
  now: number,
): RunInsertResult {
  const existing = run.key === null ? undefined : findActiveByKey(ctx, staged, run.jobName, run.key);
  if (existing === undefined || run.key === null) {
    const record = newStoredRun(run, now);
    staged.set(record.runId, record);
    return { runId: record.runId, outcome: 'inserted' };
  }
  switch (run.keyConflict) {
    case 'keep-existing':
      return { runId: existing.runId, outcome: 'existing' };
    case 'reject':
      throw new RunKeyConflictError(run.jobName, run.key, existing.runId, 'an active run already has this key');
    case 'replace': {
      if (existing.status === 'leased') {
        throw new RunKeyConflictError(
          run.jobName,
          run.key,
          existing.runId,
          'the run with this key is executing and cannot be replaced; wait for it to finish or cancel it',
        );
      }
      staged.set(existing.runId, replaceFields(existing, run, now));
      return { runId: existing.runId, outcome: 'replaced' };
    }
  }
}

/** `replace` updates what the caller asked for: payload, due time, priority and metadata. */
function replaceFields(existing: StoredRun, run: NewRun, now: number): StoredRun {
  const runAt = run.runAt === null ? now : run.runAt.getTime();
  return {
    ...existing,
    payloadJson: run.payloadJson,
    runAt,
    scheduledFor: runAt,
    priority: run.priority,
    metadata: { ...run.metadata },
  };
}

function findActiveByKey(
  ctx: MemoryContext,
  staged: Map<string, StoredRun>,
  jobName: string,
  key: string,
): StoredRun | undefined {
  const matches = (run: StoredRun) => run.jobName === jobName && run.key === key && isActiveStatus(run.status);
  for (const run of staged.values()) if (matches(run)) return run;
  for (const run of ctx.state.runs.values()) {
    // A staged copy of the same run supersedes the stored one.
    if (matches(run) && !staged.has(run.runId)) return run;
  }
  return undefined;
}

/** A fresh `pending` run; `runAt: null` means due now. */
export function newStoredRun(run: NewRun, now: number, overrides: Partial<StoredRun> = {}): StoredRun {
  const runAt = run.runAt === null ? now : run.runAt.getTime();
  return {
    runId: newRunId(),
    jobName: run.jobName,
    payloadJson: run.payloadJson,
    status: 'pending',
    queue: run.queue,
    priority: run.priority,
    attempt: 0,
    maxAttempts: run.maxAttempts,
    runAt,
    scheduledFor: runAt,
    createdAt: now,
    startedAt: null,
    finishedAt: null,
    leaseOwner: null,
    leaseExpiresAt: null,
    cancelRequestedAt: null,
    key: run.key,
    origin: run.origin,
    slotAt: null,
    lastError: null,
    progressPercent: null,
    progressMessage: null,
    metadata: { ...run.metadata },
    ...overrides,
  };
}

/** Wakes subscribers once per queue that received a run due now. */
export function notifyDue(ctx: MemoryContext, runs: Iterable<StoredRun>, now: number): void {
  const queues = new Set<string>();
  for (const run of runs) {
    if ((run.status === 'pending' || run.status === 'waiting_retry') && run.runAt <= now) queues.add(run.queue);
  }
  for (const queue of queues) ctx.notify({ queue });
}
