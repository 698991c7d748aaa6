import { DurablyError, RunKeyConflictError } from '@durably/core';
import { describe, expect, it } from 'vitest';
import { at, claimOne, getRun, insertRun, jobA, jobB, ms, newRun, useConformanceStore } from './conformance-fixtures.js';
import type { StoreConformanceHarness } from './store-conformance-harness.js';

/** Registers the conformance tests of the enqueue (including keys) area. */
export function describeEnqueueConformance(harness: StoreConformanceHarness): void {
  describe(`store conformance: ${harness.name} › enqueue`, () => {
    const current = useConformanceStore(harness);

    it('inserts one run with the defaults of a new run', async () => {
      const { store } = current();
      const runId = await insertRun(store, { maxAttempts: 4, priority: 2, queue: 'mail' });
      const run = await getRun(store, runId);
      expect(run).toMatchObject({
        runId,
        jobName: jobA,
        status: 'pending',
        queue: 'mail',
        priority: 2,
        attempt: 0,
        maxAttempts: 4,
        key: null,
        origin: 'enqueue',
        slotAt: null,
        startedAt: null,
        finishedAt: null,
        leaseOwner: null,
        leaseExpiresAt: null,
        cancelRequestedAt: null,
        lastError: null,
        progressPercent: null,
        progressMessage: null,
        metadata: {},
      });
      expect(ms(run.createdAt)).toBe(at(0));
      expect(ms(run.runAt)).toBe(at(0));
      expect(ms(run.scheduledFor)).toBe(at(0));
    });

    it('inserts a batch and returns results in input order with distinct ids', async () => {
      const { store } = current();
      const results = await store.runInsertMany({
        runs: [0, 1, 2, 3, 4].map((index) => newRun({ payloadJson: JSON.stringify({ index }) })),
      });
      expect(results).toHaveLength(5);
      expect(new Set(results.map((result) => result.runId)).size).toBe(5);
      for (const [index, result] of results.entries()) {
        expect(result.outcome).toBe('inserted');
        expect((await getRun(store, result.runId)).payload).toEqual({ index });
      }
    });

    it('accepts an empty batch', async () => {
      const { store } = current();
      expect(await store.runInsertMany({ runs: [] })).toEqual([]);
    });

    it('uses the store clock for createdAt and a null runAt', async () => {
      const { store, clock } = current();
      clock.advance(90_000);
      const run = await getRun(store, await insertRun(store));
      expect(ms(run.createdAt)).toBe(at(90_000));
      expect(ms(run.runAt)).toBe(at(90_000));
      expect(ms(await store.clockNow())).toBe(at(90_000));
    });

    it('keeps a delayed run out of claims until its runAt', async () => {
      const { store, clock } = current();
      const runAt = new Date(at(60_000));
      const runId = await insertRun(store, { runAt, origin: 'schedule' });
      const run = await getRun(store, runId);
      expect(ms(run.runAt)).toBe(at(60_000));
      expect(ms(run.scheduledFor)).toBe(at(60_000));
      expect(run.origin).toBe('schedule');
      expect(await store.runClaim({ workerName: 'w', limit: 10, leaseDurationMs: 1000, jobNames: [jobA] })).toEqual([]);
      clock.advance(59_999);
      expect(await store.runClaim({ workerName: 'w', limit: 10, leaseDurationMs: 1000, jobNames: [jobA] })).toEqual([]);
      clock.advance(1);
      expect((await claimOne(store, { workerName: 'w' })).run.runId).toBe(runId);
    });

    it('round-trips nested JSON and unicode payloads exactly', async () => {
      const { store } = current();
      const payload = {
        text: 'Grüße, 世界 🚀 "quotes" \\ back\nslash',
        nested: { list: [1, 2.5, -3, true, false, null, { deep: ['x'] }], empty: {}, none: [] },
        big: 9007199254740991,
      };
      const run = await getRun(store, await insertRun(store, { payloadJson: JSON.stringify(payload) }));
      expect(run.payload).toEqual(payload);
    });

    it('round-trips a payload that is not an object (null, string, number)', async () => {
      const { store } = current();
      for (const payload of [null, 'plain', 42]) {
        const run = await getRun(store, await insertRun(store, { payloadJson: JSON.stringify(payload) }));
        expect(run.payload).toEqual(payload);
      }
    });

    it('round-trips metadata', async () => {
      const { store } = current();
      const metadata = { traceparent: '00-abc-def-01', 'correlation-id': 'ünï', empty: '' };
      const run = await getRun(store, await insertRun(store, { metadata }));
      expect(run.metadata).toEqual(metadata);
    });

    it('returns copies: changing a returned run does not change the store', async () => {
      const { store } = current();
      const runId = await insertRun(store, { payloadJson: '{"a":1}', metadata: { k: 'v' } });
      const first = await getRun(store, runId);
      (first.payload as { a: number }).a = 2;
      first.metadata.k = 'changed';
      first.runAt.setTime(0);
      const second = await getRun(store, runId);
      expect(second.payload).toEqual({ a: 1 });
      expect(second.metadata).toEqual({ k: 'v' });
      expect(ms(second.runAt)).toBe(at(0));
    });

    describeKeys(current);
  });
}

function describeKeys(current: ReturnType<typeof useConformanceStore>): void {
  describe('keys', () => {
    it('keep-existing returns the active run with the key and inserts nothing', async () => {
      const { store } = current();
      const first = await insertRun(store, { key: 'k1', payloadJson: '{"v":1}' });
      const [result] = await store.runInsertMany({ runs: [newRun({ key: 'k1', payloadJson: '{"v":2}' })] });
      expect(result).toEqual({ runId: first, outcome: 'existing' });
      expect((await getRun(store, first)).payload).toEqual({ v: 1 });
      expect((await store.runCountByStatus({})).pending).toBe(1);
    });

    it('applies keys within one batch: a later run sees an earlier one', async () => {
      const { store } = current();
      const results = await store.runInsertMany({ runs: [newRun({ key: 'k' }), newRun({ key: 'k' })] });
      expect(results[0]?.outcome).toBe('inserted');
      expect(results[1]).toEqual({ runId: results[0]?.runId, outcome: 'existing' });
    });

    it('scopes keys per job: the same key in another job is a new run', async () => {
      const { store } = current();
      const first = await insertRun(store, { key: 'k' });
      const [other] = await store.runInsertMany({ runs: [newRun({ jobName: jobB, key: 'k' })] });
      expect(other?.outcome).toBe('inserted');
      expect(other?.runId).not.toBe(first);
    });

    it('frees a key when its run finishes: the next enqueue inserts', async () => {
      const { store } = current();
      const first = await insertRun(store, { key: 'k' });
      expect((await store.runCancel({ runId: first })).outcome).toBe('cancelled');
      const [second] = await store.runInsertMany({ runs: [newRun({ key: 'k' })] });
      expect(second?.outcome).toBe('inserted');
      expect(second?.runId).not.toBe(first);
    });

    it('keep-existing also finds a leased run with the key', async () => {
      const { store } = current();
      const first = await insertRun(store, { key: 'k' });
      await claimOne(store);
      const [result] = await store.runInsertMany({ runs: [newRun({ key: 'k' })] });
      expect(result).toEqual({ runId: first, outcome: 'existing' });
    });

    it('replace updates payload, runAt, priority and metadata of the pending run', async () => {
      const { store } = current();
      const first = await insertRun(store, { key: 'k', payloadJson: '{"v":1}', metadata: { a: '1' } });
      const runAt = new Date(at(5_000));
      const [result] = await store.runInsertMany({
        runs: [newRun({ key: 'k', keyConflict: 'replace', payloadJson: '{"v":2}', runAt, priority: 7, metadata: { b: '2' } })],
      });
      expect(result).toEqual({ runId: first, outcome: 'replaced' });
      const run = await getRun(store, first);
      expect(run.payload).toEqual({ v: 2 });
      expect(ms(run.runAt)).toBe(at(5_000));
      expect(run.priority).toBe(7);
      expect(run.metadata).toEqual({ b: '2' });
      expect(run.status).toBe('pending');
      expect((await store.runCountByStatus({})).pending).toBe(1);
    });

    it('replace also updates a waiting_retry run, which keeps its status and attempts', async () => {
      const { store } = current();
      const first = await insertRun(store, { key: 'k', payloadJson: '{"v":1}' });
      await claimOne(store);
      await store.runFinishMany({
        finishes: [{ runId: first, workerName: 'worker-a', attempt: 1, outcome: { type: 'retry', error: { name: 'E', message: 'm' }, delayMs: 60_000 } }],
      });
      const [result] = await store.runInsertMany({ runs: [newRun({ key: 'k', keyConflict: 'replace', payloadJson: '{"v":2}' })] });
      expect(result).toEqual({ runId: first, outcome: 'replaced' });
      const run = await getRun(store, first);
      expect(run).toMatchObject({ status: 'waiting_retry', attempt: 1, payload: { v: 2 } });
      expect(ms(run.runAt)).toBe(at(0));
    });

    it('replace meeting a leased run throws RunKeyConflictError and changes nothing', async () => {
      const { store } = current();
      const first = await insertRun(store, { key: 'k', payloadJson: '{"v":1}' });
      await claimOne(store);
      const attempt = store.runInsertMany({ runs: [newRun({ key: 'k', keyConflict: 'replace', payloadJson: '{"v":2}' })] });
      await expect(attempt).rejects.toBeInstanceOf(RunKeyConflictError);
      await attempt.catch((error: unknown) => {
        expect(DurablyError.isInstance(error) && error.code).toBe('run_key_conflict');
        expect((error as RunKeyConflictError).existingRunId).toBe(first);
      });
      const run = await getRun(store, first);
      expect(run.payload).toEqual({ v: 1 });
      expect(run.status).toBe('leased');
    });

    it('reject throws RunKeyConflictError naming the existing run', async () => {
      const { store } = current();
      const first = await insertRun(store, { key: 'k' });
      const attempt = store.runInsertMany({ runs: [newRun({ key: 'k', keyConflict: 'reject' })] });
      await expect(attempt).rejects.toMatchObject({ code: 'run_key_conflict', existingRunId: first, key: 'k', jobName: jobA });
    });

    it('a rejected run fails the whole batch: nothing of it is inserted', async () => {
      const { store } = current();
      await insertRun(store, { key: 'k' });
      const attempt = store.runInsertMany({
        runs: [newRun({ key: 'other' }), newRun({ key: 'k', keyConflict: 'reject' }), newRun()],
      });
      await expect(attempt).rejects.toBeInstanceOf(RunKeyConflictError);
      const counts = await store.runCountByStatus({});
      expect(counts.pending).toBe(1);
    });

    it('runs without a key never conflict', async () => {
      const { store } = current();
      const results = await store.runInsertMany({ runs: [newRun({ keyConflict: 'reject' }), newRun({ keyConflict: 'reject' })] });
      expect(results.map((result) => result.outcome)).toEqual(['inserted', 'inserted']);
    });

    it('keeps keys unique among concurrent enqueues (keep-existing)', async () => {
      const { store } = current();
      const results = await Promise.all(
        Array.from({ length: 20 }, () => store.runInsertMany({ runs: [newRun({ key: 'race' })] })),
      );
      const ids = new Set(results.map((batch) => batch[0]?.runId));
      expect(ids.size).toBe(1);
      expect(results.filter((batch) => batch[0]?.outcome === 'inserted')).toHaveLength(1);
      expect((await store.runCountByStatus({})).pending).toBe(1);
    });
  });
}
