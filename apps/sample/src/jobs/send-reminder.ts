import { defineJob } from '@durably/core';

/** An invoice reminder, sent some time after it is requested. */
export interface ReminderRequest {
  email: string;
  invoiceId: string;
}

/**
 * A delayed job: `client.schedule(sendReminder, payload, { delay: '15s' })` stores it now and a
 * worker runs it when it is due — even if this process restarted in between.
 */
export const sendReminder = defineJob<ReminderRequest>({
  name: 'invoices.send-reminder',
  run(payload, ctx) {
    const late = Date.now() - ctx.scheduledFor.getTime();
    ctx.log(`reminder for invoice ${payload.invoiceId} sent to ${payload.email}`);
    ctx.logger.info('reminder sent', { email: payload.email, invoiceId: payload.invoiceId, lateMs: late });
  },
});
