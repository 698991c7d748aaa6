import type { Durably } from '@durably/hosting';
import { capturePayment } from './jobs/capture-payment.js';
import { sendReminder } from './jobs/send-reminder.js';

/**
 * At startup, one run of the kinds that do not come by themselves, so the log shows them without
 * any request: a delayed reminder (due in 15 s) and a payment that succeeds on its third attempt.
 * Keys make a restart reuse a run that is still waiting instead of adding another.
 */
export async function enqueueDemoRuns(durably: Durably): Promise<void> {
  const reminder = await durably.client.schedule(
    sendReminder,
    { email: 'ada@example.com', invoiceId: 'INV-1042' },
    { delay: '15s' },
    { key: 'demo:reminder' },
  );
  const payment = await durably.client.enqueue(
    capturePayment,
    { orderId: 'ORD-7', amountCents: 12_900 },
    { key: 'demo:payment' },
  );
  durably.logger.info(
    { reminder, payment },
    'demo runs enqueued: a reminder due in 15 s, a payment that fails twice then succeeds',
  );
}
