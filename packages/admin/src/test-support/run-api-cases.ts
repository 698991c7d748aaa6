import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { call, createAdminFixture, markup, type AdminFixture, type StoreFactory } from './admin-fixture.js';

/** API tests of the run routes, for one provider. */
export function runApiCases(provider: string, factory: StoreFactory): void {
  describe(`admin API runs (${provider})`, () => {
    let fx: AdminFixture;
    beforeEach(async () => {
      fx = await createAdminFixture(factory);
    });
    afterEach(async () => {
      await fx.destroy();
    });
    const ids = (body: { runs: { runId: string }[] }) => body.runs.map((run) => run.runId).sort();

    it('lists runs newest first with statuses, filters by status, job, queue and time', async () => {
      const all = await call(fx.handler, 'GET', '/admin/api/runs');
      expect(all.status).toBe(200);
      expect(all.json.runs).toHaveLength(4);
      expect(all.json.runs.map((run: { runId: string }) => run.runId).slice(0, 2).sort()).toEqual([fx.runs.pending, fx.runs.later].sort());
      expect((await call(fx.handler, 'GET', '/admin/api/runs?status=failed')).json.runs.map((r: { runId: string }) => r.runId)).toEqual([fx.runs.failed]);
      expect(ids((await call(fx.handler, 'GET', '/admin/api/runs?status=pending,leased')).json)).toEqual([fx.runs.leased, fx.runs.pending, fx.runs.later].sort());
      expect(ids((await call(fx.handler, 'GET', '/admin/api/runs?job=report.build')).json)).toEqual([fx.runs.pending]);
      expect(ids((await call(fx.handler, 'GET', '/admin/api/runs?queue=reports')).json)).toEqual([fx.runs.pending]);
      // The first two runs were created at 10:00:00, the other two a second later.
      const late = await call(fx.handler, 'GET', '/admin/api/runs?from=2026-03-01T10:00:00.500Z');
      expect(ids(late.json)).toEqual([fx.runs.pending, fx.runs.later].sort());
      const early = await call(fx.handler, 'GET', '/admin/api/runs?to=2026-03-01T10:00:00.500Z');
      expect(ids(early.json)).toEqual([fx.runs.failed, fx.runs.leased].sort());
    });

    it('paginates with a cursor and clamps the limit', async () => {
      const first = await call(fx.handler, 'GET', '/admin/api/runs?limit=3');
      expect(first.json.runs).toHaveLength(3);
      expect(first.json.nextCursor).toEqual(expect.any(String));
      const second = await call(fx.handler, 'GET', `/admin/api/runs?limit=3&cursor=${encodeURIComponent(first.json.nextCursor)}`);
      expect(second.json.runs).toHaveLength(1);
      expect(second.json.nextCursor).toBeNull();
      expect(new Set([...ids(first.json), ...ids(second.json)]).size).toBe(4);
      expect((await call(fx.handler, 'GET', '/admin/api/runs?limit=0')).json.limit).toBe(1);
      expect((await call(fx.handler, 'GET', '/admin/api/runs?limit=-7')).json.runs).toHaveLength(1);
      expect((await call(fx.handler, 'GET', '/admin/api/runs?limit=1000000')).json.limit).toBe(200);
    });

    it('rejects bad filters with 400 and the reason', async () => {
      for (const query of ['limit=abc', 'status=running', 'from=yesterday', 'order=random', 'cursor=not-a-cursor', 'payloadPath=$.a', 'payloadPath=$..a&payloadValue=1', 'payloadPath=a&payloadValue={"b":1}', `payloadPath=${'a.'.repeat(16)}a&payloadValue=1`]) {
        const response = await call(fx.handler, 'GET', `/admin/api/runs?${query}`);
        expect(response.status, query).toBe(400);
        expect(response.json.error.message, query).toMatch(/\w/);
        expect(response.text, query).not.toMatch(/\n\s+at /);
      }
    });

    it('searches payloads by JSON path and value (string, number, array element), in the store', async () => {
      const byUser = await call(fx.handler, 'GET', '/admin/api/runs?payloadPath=$.userId&payloadValue=u2');
      expect(ids(byUser.json)).toEqual([fx.runs.leased]);
      expect(byUser.json).not.toHaveProperty('scanned');
      expect(ids((await call(fx.handler, 'GET', '/admin/api/runs?payloadPath=n&payloadValue=42')).json)).toEqual([fx.runs.later]);
      // JSON types are kept apart: the text "42" is not the number 42.
      expect(ids((await call(fx.handler, 'GET', '/admin/api/runs?payloadPath=n&payloadValue=%2242%22')).json)).toEqual([]);
      expect(ids((await call(fx.handler, 'GET', '/admin/api/runs?payloadPath=tags[0]&payloadValue=x')).json)).toEqual([fx.runs.failed]);
      const combined = await call(fx.handler, 'GET', '/admin/api/runs?payloadPath=$.userId&payloadValue=u2&status=failed');
      expect(combined.json.runs).toEqual([]);
      const page = await call(fx.handler, 'GET', '/admin/api/runs?payloadPath=$.userId&payloadValue=%22u1%22&limit=1');
      expect(ids(page.json)).toEqual([fx.runs.failed]);
      expect(page.json.nextCursor).toBeNull();
    });

    it('shows one run with attempts, error stack, progress, log lines and payload', async () => {
      const failed = await call(fx.handler, 'GET', `/admin/api/runs/${fx.runs.failed}`);
      expect(failed.status).toBe(200);
      expect(failed.json.run).toMatchObject({ status: 'failed', jobName: 'email.send', payload: { userId: 'u1', tags: ['x'] }, payloadHidden: false });
      expect(failed.json.attempts).toEqual([expect.objectContaining({ attempt: 1, workerName: 'w1', outcome: 'failed' })]);
      expect(failed.json.attempts[0].error).toMatchObject({ message: `boom ${markup}`, stack: expect.stringContaining('at handler') });
      const leased = await call(fx.handler, 'GET', `/admin/api/runs/${fx.runs.leased}`);
      expect(leased.json.run).toMatchObject({ status: 'leased', progressPercent: 40, progressMessage: 'step 2 of 5', leaseOwner: 'w1' });
      expect(leased.json.logs).toEqual([expect.objectContaining({ level: 'info', message: `started ${markup}` })]);
      expect((await call(fx.handler, 'GET', '/admin/api/runs/00000000-0000-4000-8000-000000000000')).status).toBe(404);
    });

    it('hides payloads from the read role when exposePayloadTo is manage, and refuses its payload search', async () => {
      const handler = fx.makeHandler({ exposePayloadTo: 'manage' });
      const asRead = await call(handler, 'GET', `/admin/api/runs/${fx.runs.failed}`, { role: 'read' });
      expect(asRead.json.run.payloadHidden).toBe(true);
      expect(asRead.json.run).not.toHaveProperty('payload');
      expect(asRead.text).not.toContain('u1');
      const list = await call(handler, 'GET', '/admin/api/runs', { role: 'read' });
      expect(list.text).not.toContain('userId');
      expect((await call(handler, 'GET', '/admin/api/runs?payloadPath=userId&payloadValue=u1', { role: 'read' })).status).toBe(403);
      expect((await call(handler, 'GET', `/admin/api/runs/${fx.runs.failed}`)).json.run.payload).toEqual({ userId: 'u1', tags: ['x'] });
      const schedules = await call(handler, 'GET', '/admin/api/schedules', { role: 'read' });
      expect(schedules.json.schedules[0]).toMatchObject({ payloadHidden: true });
      expect(schedules.json.schedules[0]).not.toHaveProperty('payload');
      // Default: readers see payloads.
      expect((await call(fx.handler, 'GET', `/admin/api/runs/${fx.runs.failed}`, { role: 'read' })).json.run.payload.userId).toBe('u1');
    });

    it('cancels a pending run at once and asks a leased run to stop; 409 when finished; 404 when unknown', async () => {
      const pending = await call(fx.handler, 'POST', `/admin/api/runs/${fx.runs.pending}/cancel`);
      expect(pending.status).toBe(200);
      expect(pending.json.outcome).toBe('cancelled');
      expect((await fx.store.runGet({ runId: fx.runs.pending }))?.status).toBe('cancelled');
      const leased = await call(fx.handler, 'POST', `/admin/api/runs/${fx.runs.leased}/cancel`);
      expect(leased.json.outcome).toBe('cancel_requested');
      expect((await fx.store.runGet({ runId: fx.runs.leased }))?.cancelRequestedAt).toBeInstanceOf(Date);
      expect((await call(fx.handler, 'POST', `/admin/api/runs/${fx.runs.failed}/cancel`)).status).toBe(409);
      expect((await call(fx.handler, 'POST', '/admin/api/runs/00000000-0000-4000-8000-000000000000/cancel')).status).toBe(404);
      expect(fx.audits.map((event) => [event.action, event.outcome, event.status])).toEqual([
        ['run.cancel', 'succeeded', 200],
        ['run.cancel', 'succeeded', 200],
        ['run.cancel', 'failed', 409],
        ['run.cancel', 'failed', 404],
      ]);
      expect(fx.audits[0]).toMatchObject({ target: fx.runs.pending, role: 'manage', actor: 'manage-user', details: { result: 'cancelled' } });
    });

    it('retries a failed run (pending, one more attempt allowed); 409 for an active run; 404 when unknown', async () => {
      const retried = await call(fx.handler, 'POST', `/admin/api/runs/${fx.runs.failed}/retry`);
      expect(retried.status).toBe(200);
      expect(retried.json.run).toMatchObject({ runId: fx.runs.failed, status: 'pending', maxAttempts: 2 });
      expect((await fx.store.runGet({ runId: fx.runs.failed }))?.status).toBe('pending');
      const active = await call(fx.handler, 'POST', `/admin/api/runs/${fx.runs.leased}/retry`);
      expect(active.status).toBe(409);
      expect(active.json.error.message).toMatch(/only a finished run/);
      expect((await call(fx.handler, 'POST', '/admin/api/runs/nope/retry')).status).toBe(404);
      expect(fx.audits[0]).toMatchObject({ action: 'run.retry', target: fx.runs.failed, outcome: 'succeeded', details: { previousStatus: 'failed' } });
    });

    it('deletes a run with its attempts; 409 while leased; 404 afterwards', async () => {
      const deleted = await call(fx.handler, 'DELETE', `/admin/api/runs/${fx.runs.failed}`);
      expect(deleted.status).toBe(200);
      expect(await fx.store.runGet({ runId: fx.runs.failed })).toBeUndefined();
      expect(await fx.store.attemptList({ runId: fx.runs.failed })).toEqual([]);
      expect((await call(fx.handler, 'DELETE', `/admin/api/runs/${fx.runs.failed}`)).status).toBe(404);
      expect((await call(fx.handler, 'DELETE', `/admin/api/runs/${fx.runs.leased}`)).status).toBe(409);
      expect(await fx.store.runGet({ runId: fx.runs.leased })).toBeDefined();
      expect(fx.audits.map((event) => event.action)).toEqual(['run.delete', 'run.delete', 'run.delete']);
    });
  });
}
