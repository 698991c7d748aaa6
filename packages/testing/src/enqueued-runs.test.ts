import { AssertionError } from 'node:assert';
import { createFakeClock, createMemoryStore, type DurablyStore, type NewRun } from '@durably/core';
import { beforeEach, describe, expect, it } from 'vitest';
import { newRun } from './conformance/conformance-fixtures.js';
import { expectEnqueued, expectNotEnqueued, listEnqueued, matchesPartially } from './enqueued-runs.js';

const sendWelcome = { name: 'email.send-welcome' };

const run = (payload: unknown, overrides: Partial<NewRun> = {}) =>
  newRun({ jobName: sendWelcome.name, payloadJson: JSON.stringify(payload), ...overrides });

describe('enqueued-run assertions', () => {
  let store: DurablyStore;
  const clock = createFakeClock();

  beforeEach(async () => {
    store = createMemoryStore({ clock });
    await store.runInsertMany({ runs: [run({ userId: 'u1', locale: 'de' })] });
    clock.advance(1_000);
    await store.runInsertMany({ runs: [run({ userId: 'u2', locale: 'en' }, { queue: 'mail' }), run({ other: true }, { jobName: 'other.job' })] });
  });

  it('lists the runs of a job waiting to execute, oldest first, by definition or name', async () => {
    const runs = await listEnqueued(store, sendWelcome);
    expect(runs.map((entry) => entry.payload)).toEqual([{ userId: 'u1', locale: 'de' }, { userId: 'u2', locale: 'en' }]);
    expect(await listEnqueued(store, 'other.job')).toHaveLength(1);
  });

  it('leaves out leased and finished runs unless asked for them', async () => {
    const [claimed] = await store.runClaim({ workerName: 'w', limit: 1, leaseDurationMs: 1_000, jobNames: [sendWelcome.name] });
    expect(await listEnqueued(store, sendWelcome)).toHaveLength(1);
    expect(await listEnqueued(store, sendWelcome, { statuses: ['leased'] })).toMatchObject([{ runId: claimed?.run.runId }]);
  });

  it('lists across pages', async () => {
    await store.runInsertMany({ runs: Array.from({ length: 1_200 }, (_, index) => run({ index })) });
    expect(await listEnqueued(store, sendWelcome)).toHaveLength(1_202);
  });

  it('passes and returns the matches for a partial payload, count and queue', async () => {
    expect(await expectEnqueued(store, sendWelcome, { payload: { userId: 'u1' } })).toHaveLength(1);
    expect(await expectEnqueued(store, sendWelcome, { count: 2 })).toHaveLength(2);
    expect(await expectEnqueued(store, sendWelcome, { queue: 'mail', payload: { locale: 'en' }, count: 1 })).toHaveLength(1);
  });

  it('throws a readable AssertionError listing what was enqueued', async () => {
    const failure = await expectEnqueued(store, sendWelcome, { payload: { userId: 'u3' } }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(AssertionError);
    const message = (failure as Error).message;
    expect(message).toContain('Expected at least 1 enqueued run(s) of job "email.send-welcome" with payload matching {"userId":"u3"}, found 0.');
    expect(message).toContain('Enqueued runs of "email.send-welcome" (2):');
    expect(message).toContain('payload={"userId":"u2","locale":"en"}');
  });

  it('fails on a wrong count', async () => {
    await expect(expectEnqueued(store, sendWelcome, { count: 3 })).rejects.toThrow(/Expected 3 enqueued run\(s\).*found 2/);
  });

  it('says when nothing is enqueued at all', async () => {
    await expect(expectEnqueued(store, 'missing.job')).rejects.toThrow('No run of "missing.job" is enqueued.');
  });

  it('expectNotEnqueued passes when nothing matches and fails otherwise', async () => {
    await expectNotEnqueued(store, sendWelcome, { payload: { userId: 'nobody' } });
    await expectNotEnqueued(store, 'missing.job');
    await expect(expectNotEnqueued(store, sendWelcome, { payload: { userId: 'u1' } })).rejects.toBeInstanceOf(AssertionError);
  });

  it('matches payloads partially for objects and exactly for arrays and primitives', () => {
    expect(matchesPartially({ a: 1, b: { c: 2, d: 3 } }, { b: { c: 2 } })).toBe(true);
    expect(matchesPartially({ a: 1 }, { a: 2 })).toBe(false);
    expect(matchesPartially({ a: undefined }, { b: undefined })).toBe(false);
    expect(matchesPartially({ list: [1, 2] }, { list: [1] })).toBe(false);
    expect(matchesPartially({ list: [{ x: 1, y: 2 }] }, { list: [{ x: 1 }] })).toBe(true);
    expect(matchesPartially([1], { 0: 1 })).toBe(false);
    expect(matchesPartially('a', 'a')).toBe(true);
    expect(matchesPartially(null, {})).toBe(false);
  });
});
