import type { Durably } from '@durably/hosting';
import { capturePayment } from '../jobs/capture-payment.js';
import { generateReport } from '../jobs/generate-report.js';
import { sendReminder } from '../jobs/send-reminder.js';
import { transcodeVideo } from '../jobs/transcode-video.js';
import { requireString, HttpError, type Body } from './http-helpers.js';

/** A route handler: the parsed body and the path's captured parts in, a status and JSON value out. */
export type Route = (body: Body, params: string[]) => Promise<[status: number, value: unknown]>;

/** One entry of the route table. */
export type RouteEntry = [method: string, pattern: RegExp, route: Route];

/**
 * The sample's HTTP API (plain `node:http`, no framework):
 * - `POST /reports {customerId, month}` → enqueues `reports.generate`, returns `{ runId }`;
 * - `POST /reminders {email, invoiceId, delaySeconds?}` → a delayed `invoices.send-reminder`;
 * - `POST /payments {orderId, amountCents}` → `payments.capture` (fails twice, then succeeds);
 * - `POST /videos {videoId}` → the long, cancellable `videos.transcode`;
 * - `GET /runs/:id` → the run with its attempts and log lines;
 * - `POST /runs/:id/cancel` → cancels it.
 */
export function sampleRoutes(durably: Durably): RouteEntry[] {
  return [
    [
      'POST',
      /^\/reports$/,
      async (body) => {
        const runId = await durably.client.enqueue(generateReport, {
          customerId: requireString(body, 'customerId'),
          month: requireString(body, 'month'),
        });
        return [202, { runId }];
      },
    ],
    [
      'POST',
      /^\/reminders$/,
      async (body) => {
        const delaySeconds = body.delaySeconds ?? 15;
        if (typeof delaySeconds !== 'number' || !(delaySeconds >= 0))
          throw new HttpError(400, '"delaySeconds" must be a number of seconds');
        const payload = { email: requireString(body, 'email'), invoiceId: requireString(body, 'invoiceId') };
        const runId = await durably.client.schedule(sendReminder, payload, { delay: delaySeconds * 1_000 });
        return [202, { runId, dueInSeconds: delaySeconds }];
      },
    ],
    [
      'POST',
      /^\/payments$/,
      async (body) => {
        const amountCents = body.amountCents ?? 4_990;
        if (!Number.isInteger(amountCents) || (amountCents as number) <= 0)
          throw new HttpError(400, '"amountCents" must be a positive integer');
        const runId = await durably.client.enqueue(capturePayment, {
          orderId: requireString(body, 'orderId'),
          amountCents: amountCents as number,
        });
        return [202, { runId }];
      },
    ],
    [
      'POST',
      /^\/videos$/,
      async (body) => [
        202,
        { runId: await durably.client.enqueue(transcodeVideo, { videoId: requireString(body, 'videoId') }) },
      ],
    ],
    [
      'GET',
      /^\/runs\/([^/]+)$/,
      async (_body, [runId]) => {
        const run = await durably.runs.get(runId!);
        if (!run) throw new HttpError(404, `no run ${runId}`);
        return [
          200,
          { run, attempts: await durably.runs.attempts(runId!), logs: await durably.runs.logs(runId!) },
        ];
      },
    ],
    [
      'POST',
      /^\/runs\/([^/]+)\/cancel$/,
      async (_body, [runId]) => {
        const result = await durably.client.cancel(runId!);
        if (result.outcome === 'not_found') throw new HttpError(404, `no run ${runId}`);
        return [200, { outcome: result.outcome, status: result.run?.status }];
      },
    ],
  ];
}
