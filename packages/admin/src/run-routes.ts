import { activeRunStatuses, type Run, type RunStatus } from '@durably/core';
import { canSeePayload, type AdminRoute, type RouteContext } from './admin-route.js';
import { HttpError } from './http-error.js';
import { jsonResponse } from './json-response.js';
import { parseRunFilters } from './parse-run-filters.js';

/** Most log lines the run detail returns (the store keeps at most 1 000 per run by default). */
const maxLogLines = 1_000;

/** A run as the API shows it: the payload is left out (`payloadHidden`) for callers who may not see it. */
export type RunView = Omit<Run, 'payload'> & { payload?: unknown; payloadHidden: boolean };

/** Strips the payload when the caller may not see it. */
export function runView(run: Run, showPayload: boolean): RunView {
  if (showPayload) return { ...run, payloadHidden: false };
  const { payload: _hidden, ...rest } = run;
  return { ...rest, payloadHidden: true };
}

async function loadRun(context: RouteContext): Promise<Run> {
  const runId = context.params.runId!;
  const run = await context.services.store.runGet({ runId });
  if (run === undefined) throw new HttpError(404, 'run_not_found', `No run with id "${runId}" exists (it may have been removed by retention).`);
  return run;
}

const isActive = (status: RunStatus) => (activeRunStatuses as readonly RunStatus[]).includes(status);

/** `GET /runs`: filtered, paginated list; with `payloadPath`/`payloadValue` a payload search the store runs. */
const listRuns: AdminRoute = {
  method: 'GET',
  path: '/runs',
  async handle(context) {
    const { list } = parseRunFilters(context.url.searchParams);
    const show = canSeePayload(context);
    if (list.payloadMatch !== undefined && !show) {
      throw new HttpError(403, 'forbidden', 'Payload search needs a role that may see payloads.');
    }
    const page = await context.services.store.runList(list);
    return jsonResponse({
      runs: page.runs.map((run) => runView(run, show)),
      nextCursor: page.nextCursor,
      limit: list.limit,
    });
  },
};

/** `GET /runs/:runId`: the run with its attempts and log lines. */
const getRun: AdminRoute = {
  method: 'GET',
  path: '/runs/:runId',
  async handle(context) {
    const run = await loadRun(context);
    const { store } = context.services;
    const [attempts, logs] = await Promise.all([
      store.attemptList({ runId: run.runId }),
      store.runLogList({ runId: run.runId, limit: maxLogLines }),
    ]);
    return jsonResponse({ run: runView(run, canSeePayload(context)), attempts, logs });
  },
};

/** `POST /runs/:runId/cancel`: cancels a waiting run, or asks a running one to stop. 409 when finished. */
const cancelRun: AdminRoute = {
  method: 'POST',
  path: '/runs/:runId/cancel',
  action: 'run.cancel',
  targetParam: 'runId',
  async handle(context) {
    const result = await context.services.client.cancel(context.params.runId!);
    context.auditDetails.result = result.outcome;
    if (result.outcome === 'not_found') await loadRun(context);
    if (result.outcome === 'already_finished') {
      throw new HttpError(409, 'run_finished', `The run already ended (${result.run?.status ?? 'finished'}); there is nothing to cancel.`);
    }
    return jsonResponse({ outcome: result.outcome, run: result.run ? runView(result.run, canSeePayload(context)) : null });
  },
};

/** `POST /runs/:runId/retry`: runs a finished run again (one more attempt). 409 while it is active. */
const retryRun: AdminRoute = {
  method: 'POST',
  path: '/runs/:runId/retry',
  action: 'run.retry',
  targetParam: 'runId',
  async handle(context) {
    const run = await loadRun(context);
    if (isActive(run.status)) {
      throw new HttpError(409, 'run_active', `The run is ${run.status}; only a finished run can be retried.`);
    }
    const retried = await context.services.store.runRetry({ runId: run.runId });
    if (retried === undefined) await loadRun(context); // deleted meanwhile: 404
    context.auditDetails.previousStatus = run.status;
    return jsonResponse({ run: runView(retried!, canSeePayload(context)) });
  },
};

/** `DELETE /runs/:runId`: deletes a run with its attempts and logs. 409 while an attempt runs. */
const deleteRun: AdminRoute = {
  method: 'DELETE',
  path: '/runs/:runId',
  action: 'run.delete',
  targetParam: 'runId',
  async handle(context) {
    const run = await loadRun(context);
    if (run.status === 'leased') {
      throw new HttpError(409, 'run_active', 'The run is executing; cancel it first, then delete it.');
    }
    if (!(await context.services.store.runDelete({ runId: run.runId }))) await loadRun(context);
    context.auditDetails.previousStatus = run.status;
    return jsonResponse({ deleted: true, runId: run.runId });
  },
};

/** The run routes. */
export const runRoutes: readonly AdminRoute[] = [listRuns, getRun, cancelRun, retryRun, deleteRun];
