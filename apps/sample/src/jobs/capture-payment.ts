import { defineJob } from '@durably/core';
import { abortableSleep } from '../abortable-sleep.js';

/** What `POST /payments` accepts: an order to charge, in cents. */
export interface PaymentRequest {
  orderId: string;
  amountCents: number;
}

/**
 * A job that fails twice and succeeds on its third attempt: the payment gateway "times out" on the
 * first two tries. Backoff retries after 2 s, then 4 s (base × 2^(attempt-1)).
 */
export const capturePayment = defineJob<PaymentRequest>({
  name: 'payments.capture',
  maxAttempts: 3,
  retry: { mode: 'backoff', initialDelaySeconds: 2 },
  async run(payload, ctx) {
    await abortableSleep(200, ctx.signal);
    if (ctx.attempt < 3) {
      ctx.log(`gateway timed out (attempt ${ctx.attempt} of ${ctx.maxAttempts})`, 'warn');
      throw new Error(`payment gateway timed out capturing order ${payload.orderId}`);
    }
    ctx.log(`captured ${(payload.amountCents / 100).toFixed(2)} EUR for order ${payload.orderId}`);
  },
});
