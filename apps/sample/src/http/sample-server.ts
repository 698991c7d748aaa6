import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { DurablyError } from '@durably/core';
import type { Durably } from '@durably/hosting';
import { capturePayment } from '../jobs/capture-payment.js';
import { generateReport } from '../jobs/generate-report.js';
import { sendReminder } from '../jobs/send-reminder.js';
import { transcodeVideo } from '../jobs/transcode-video.js';
import { readJsonBody, requireString, sendJson, type Body, HttpError } from './http-helpers.js';

type Route = (body: Body, params: string[]) => Promise<[status: number, value: unknown]>;

/**
 * The sample's HTTP API (plain `node:http`, no framework):
 * - `POST /reports {customerId, month}` → enqueues `reports.generate`, returns `{ runId }`;
 * - `POST /reminders {email, invoiceId, delaySeconds?}` → a delayed `invoices.send-reminder`;
 * - `POST /payments {orderId, amountCents}` → `payments.capture` (fails twice, then succeeds);
 * - `POST /videos {videoId}` → the long, cancellable `videos.transcode`;
 * - `GET /runs/:id` → the run with its attempts and log lines;
 * - `POST /runs/:id/cancel` → cancels it.
 */
export function createSampleServer(durably: Durably): Server {
  const routes: [method: string, pattern: RegExp, route: Route][] = [
    ['POST', /^\/reports$/, async (body) => {
      const runId = await durably.client.enqueue(generateReport, {
        customerId: requireString(body, 'customerId'),
        month: requireString(body, 'month'),
      });
      return [202, { runId }];
    }],
    ['POST', /^\/reminders$/, async (body) => {
      const delaySeconds = typeof body.delaySeconds === 'number' ? body.delaySeconds : 15;
      const payload = { email: requireString(body, 'email'), invoiceId: requireString(body, 'invoiceId') };
      const runId = await durably.client.schedule(sendReminder, payload, { delay: delaySeconds * 1_000 });
      return [202, { runId, dueInSeconds: delaySeconds }];
    }],
    ['POST', /^\/payments$/, async (body) => {
      const amountCents = typeof body.amountCents === 'number' ? body.amountCents : 4_990;
      const runId = await durably.client.enqueue(capturePayment, { orderId: requireString(body, 'orderId'), amountCents });
      return [202, { runId }];
    }],
    ['POST', /^\/videos$/, async (body) => [202, { runId: await durably.client.enqueue(transcodeVideo, { videoId: requireString(body, 'videoId') }) }]],
    ['GET', /^\/runs\/([^/]+)$/, async (_body, [runId]) => {
      const run = await durably.runs.get(runId!);
      if (!run) throw new HttpError(404, `no run ${runId}`);
      return [200, { run, attempts: await durably.runs.attempts(runId!), logs: await durably.runs.logs(runId!) }];
    }],
    ['POST', /^\/runs\/([^/]+)\/cancel$/, async (_body, [runId]) => {
      const result = await durably.client.cancel(runId!);
      if (result.outcome === 'not_found') throw new HttpError(404, `no run ${runId}`);
      return [200, { outcome: result.outcome, status: result.run?.status }];
    }],
  ];

  return createServer((request, response) => {
    void handle(routes, request, response).catch((error: unknown) => {
      durably.logger.error({ err: error }, 'request failed');
      if (!response.headersSent) sendJson(response, 500, { error: 'internal error' });
    });
  });
}

async function handle(routes: [string, RegExp, Route][], request: IncomingMessage, response: ServerResponse): Promise<void> {
  const path = new URL(request.url ?? '/', 'http://localhost').pathname;
  for (const [method, pattern, route] of routes) {
    const match = pattern.exec(path);
    if (!match || request.method !== method) continue;
    try {
      const body = method === 'POST' ? await readJsonBody(request) : {};
      const [status, value] = await route(body, match.slice(1).map(decodeURIComponent));
      sendJson(response, status, value);
    } catch (error) {
      if (error instanceof HttpError) sendJson(response, error.status, { error: error.message });
      // Durably checked the payload or options and refused them: the caller's mistake, not ours.
      else if (DurablyError.isInstance(error) && error.code.startsWith('invalid_')) sendJson(response, 400, { error: error.message });
      else throw error;
    }
    return;
  }
  sendJson(response, 404, {
    error: 'not found',
    routes: ['POST /reports', 'POST /reminders', 'POST /payments', 'POST /videos', 'GET /runs/:id', 'POST /runs/:id/cancel'],
  });
}
