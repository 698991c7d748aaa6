import { createFakeClock, type ClaimedRun, type DurablyStore, type FakeClock, type NewRun } from '@durably/core';
import { afterEach, beforeEach } from 'vitest';
import type { StoreConformanceHarness } from './store-conformance-harness.js';

/** The instant every conformance test starts at. */
export const startTime = new Date('2026-01-01T00:00:00Z');

/** The default job of the suite's runs. */
export const jobA = 'conformance.job-a';
export const jobB = 'conformance.job-b';
export const workerA = 'worker-a';
export const workerB = 'worker-b';
export const leaseMs = 30_000;

/** The store and clock of the running test. */
export interface ConformanceContext {
  store: DurablyStore;
  clock: FakeClock;
}

/**
 * Registers hooks that give every test of the enclosing `describe` a fresh store and clock, and
 * destroy them afterwards. Call it at the top of a `describe`; call the returned function in a test.
 */
export function useConformanceStore(harness: StoreConformanceHarness): () => ConformanceContext {
  let current: ConformanceContext | undefined;
  beforeEach(async () => {
    const clock = createFakeClock(startTime);
    current = { clock, store: await harness.createStore({ clock }) };
  });
  afterEach(async () => {
    const store = current?.store;
    current = undefined;
    if (!store) return;
    if (harness.destroyStore) await harness.destroyStore(store);
    await store.close();
  });
  return () => {
    if (!current) throw new Error('The conformance store is only available inside a test.');
    return current;
  };
}

/** A `NewRun` of `jobA` in the default queue, due now, with 3 attempts; override what matters. */
export function newRun(overrides: Partial<NewRun> = {}): NewRun {
  return {
    jobName: jobA,
    payloadJson: '{}',
    queue: 'default',
    priority: 0,
    maxAttempts: 3,
    runAt: null,
    key: null,
    keyConflict: 'keep-existing',
    origin: 'enqueue',
    metadata: {},
    ...overrides,
  };
}

/** Inserts one run and returns its id. */
export async function insertRun(store: DurablyStore, overrides: Partial<NewRun> = {}): Promise<string> {
  const [result] = await store.runInsertMany({ runs: [newRun(overrides)] });
  if (!result) throw new Error('runInsertMany returned no result for one run.');
  return result.runId;
}

/** Claims exactly one run (fails the test otherwise). */
export async function claimOne(
  store: DurablyStore,
  options: { workerName?: string; jobNames?: readonly string[]; leaseDurationMs?: number } = {},
): Promise<ClaimedRun> {
  const claimed = await store.runClaim({
    workerName: options.workerName ?? workerA,
    limit: 1,
    leaseDurationMs: options.leaseDurationMs ?? leaseMs,
    jobNames: options.jobNames ?? [jobA, jobB],
  });
  if (claimed.length !== 1 || !claimed[0]) throw new Error(`Expected to claim one run, claimed ${claimed.length}.`);
  return claimed[0];
}

/** Inserts a run and claims it: the common start of finish, lease and fencing tests. */
export async function insertAndClaim(
  store: DurablyStore,
  overrides: Partial<NewRun> = {},
  workerName = workerA,
): Promise<ClaimedRun> {
  await insertRun(store, overrides);
  return claimOne(store, { workerName, jobNames: [overrides.jobName ?? jobA] });
}

/** Reads a run that must exist. */
export async function getRun(store: DurablyStore, runId: string) {
  const run = await store.runGet({ runId });
  if (!run) throw new Error(`Run ${runId} does not exist.`);
  return run;
}

/** Milliseconds since epoch of a date that must be set (Dates are compared by `getTime()`). */
export function ms(date: Date | null | undefined): number | null {
  return date ? date.getTime() : null;
}

/** `startTime` plus `offsetMs`, in epoch milliseconds. */
export function at(offsetMs: number): number {
  return startTime.getTime() + offsetMs;
}
