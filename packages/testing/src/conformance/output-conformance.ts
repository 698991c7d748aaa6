import type { LogLevel } from '@durably/core';
import { describe, expect, it } from 'vitest';
import { at, getRun, insertAndClaim, ms, useConformanceStore, workerA } from './conformance-fixtures.js';
import type { StoreConformanceHarness } from './store-conformance-harness.js';

/** Registers the conformance tests of the logs and progress area. */
export function describeOutputConformance(harness: StoreConformanceHarness): void {
  describe(`store conformance: ${harness.name} › logs and progress`, () => {
    const current = useConformanceStore(harness);

    it('sets progress of the owning attempt; the last update wins', async () => {
      const { store } = current();
      const claimed = await insertAndClaim(store);
      const ref = { runId: claimed.run.runId, workerName: workerA, attempt: 1 };
      await store.runProgressSet({ updates: [{ ...ref, percent: 10, message: 'starting' }, { ...ref, percent: 55.5, message: null }] });
      const run = await getRun(store, ref.runId);
      expect(run.progressPercent).toBe(55.5);
      expect(run.progressMessage).toBeNull();
    });

    it('keeps progress after the attempt ends', async () => {
      const { store } = current();
      const claimed = await insertAndClaim(store);
      const ref = { runId: claimed.run.runId, workerName: workerA, attempt: 1 };
      await store.runProgressSet({ updates: [{ ...ref, percent: 100, message: 'done' }] });
      await store.runFinishMany({ finishes: [{ ...ref, outcome: { type: 'succeeded' } }] });
      expect(await getRun(store, ref.runId)).toMatchObject({ progressPercent: 100, progressMessage: 'done' });
    });

    it('appends log lines and lists them oldest first with attempt, level and time', async () => {
      const { store } = current();
      const claimed = await insertAndClaim(store);
      const ref = { runId: claimed.run.runId, workerName: workerA, attempt: 1 };
      const levels: LogLevel[] = ['debug', 'info', 'warn', 'error'];
      await store.runLogAppend({
        lines: levels.map((level, index) => ({ ...ref, at: new Date(at(index * 10)), level, message: `line ${index} ✓` })),
        maxLinesPerRun: 100,
      });
      const lines = await store.runLogList({ runId: ref.runId });
      expect(lines.map((line) => [line.attempt, line.level, line.message, ms(line.at)])).toEqual(
        levels.map((level, index) => [1, level, `line ${index} ✓`, at(index * 10)]),
      );
      expect(lines.every((line) => line.runId === ref.runId)).toBe(true);
    });

    it('keeps the newest maxLinesPerRun lines of each run', async () => {
      const { store } = current();
      const one = await insertAndClaim(store);
      const two = await insertAndClaim(store);
      const linesFor = (runId: string, from: number, count: number) =>
        Array.from({ length: count }, (_, index) => ({
          runId,
          workerName: workerA,
          attempt: 1,
          at: new Date(at((from + index) * 1_000)),
          level: 'info' as const,
          message: `#${from + index}`,
        }));
      await store.runLogAppend({ lines: [...linesFor(one.run.runId, 0, 4), ...linesFor(two.run.runId, 0, 2)], maxLinesPerRun: 3 });
      expect((await store.runLogList({ runId: one.run.runId })).map((line) => line.message)).toEqual(['#1', '#2', '#3']);
      await store.runLogAppend({ lines: linesFor(one.run.runId, 4, 2), maxLinesPerRun: 3 });
      expect((await store.runLogList({ runId: one.run.runId })).map((line) => line.message)).toEqual(['#3', '#4', '#5']);
      expect((await store.runLogList({ runId: two.run.runId })).map((line) => line.message)).toEqual(['#0', '#1']);
    });

    it('lists the newest `limit` lines, oldest first', async () => {
      const { store } = current();
      const claimed = await insertAndClaim(store);
      await store.runLogAppend({
        lines: Array.from({ length: 5 }, (_, index) => ({
          runId: claimed.run.runId,
          workerName: workerA,
          attempt: 1,
          at: new Date(at(index)),
          level: 'info' as const,
          message: `#${index}`,
        })),
        maxLinesPerRun: 100,
      });
      expect((await store.runLogList({ runId: claimed.run.runId, limit: 2 })).map((line) => line.message)).toEqual(['#3', '#4']);
    });

    it('keeps lines of earlier attempts, tagged with their attempt', async () => {
      const { store, clock } = current();
      const first = await insertAndClaim(store);
      const runId = first.run.runId;
      await store.runLogAppend({ lines: [{ runId, workerName: workerA, attempt: 1, at: new Date(at(0)), level: 'error', message: 'first' }], maxLinesPerRun: 10 });
      await store.runFinishMany({ finishes: [{ runId, workerName: workerA, attempt: 1, outcome: { type: 'retry', error: { name: 'E', message: 'm' }, delayMs: 0 } }] });
      clock.advance(1_000);
      const [second] = await store.runClaim({ workerName: workerA, limit: 1, leaseDurationMs: 30_000, jobNames: [first.run.jobName] });
      expect(second?.run.attempt).toBe(2);
      await store.runLogAppend({ lines: [{ runId, workerName: workerA, attempt: 2, at: new Date(at(1_000)), level: 'info', message: 'second' }], maxLinesPerRun: 10 });
      expect((await store.runLogList({ runId })).map((line) => [line.attempt, line.message])).toEqual([
        [1, 'first'],
        [2, 'second'],
      ]);
    });

    it('returns no lines for an unknown run', async () => {
      const { store } = current();
      expect(await store.runLogList({ runId: '00000000-0000-4000-8000-000000000000' })).toEqual([]);
    });
  });
}
