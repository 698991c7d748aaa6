import { defineJob, NonRetryableError } from '@durably/core';
import { abortableSleep } from '../abortable-sleep.js';

/** What `POST /reports` accepts: one customer's monthly sales report. */
export interface ReportRequest {
  customerId: string;
  /** `YYYY-MM`. */
  month: string;
}

/**
 * A typed one-off job, enqueued from `POST /reports`: "build the monthly sales report of a
 * customer". The payload type flows from `defineJob<ReportRequest>` into `client.enqueue`.
 */
export const generateReport = defineJob<ReportRequest>({
  name: 'reports.generate',
  maxAttempts: 3,
  async run(payload, ctx) {
    if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(payload.month)) {
      // Retrying cannot fix a bad month: fail at once.
      throw new NonRetryableError(`month must look like 2026-11, got "${payload.month}"`);
    }
    ctx.log(`collecting orders of ${payload.customerId} for ${payload.month}`);
    await abortableSleep(300, ctx.signal);
    const orders = 40 + (hash(payload.customerId + payload.month) % 60);
    const totalCents = orders * 1_999;
    ctx.progress(50, `${orders} orders collected`);
    await abortableSleep(300, ctx.signal);
    ctx.log(`report ready: ${orders} orders, ${(totalCents / 100).toFixed(2)} EUR`);
    ctx.logger.info('report generated', { customerId: payload.customerId, month: payload.month, orders });
    return { orders, totalCents };
  },
});

/** A small stable hash, so the same request always yields the same fake figures. */
function hash(text: string): number {
  let value = 0;
  for (const char of text) value = (value * 31 + char.charCodeAt(0)) >>> 0;
  return value;
}
