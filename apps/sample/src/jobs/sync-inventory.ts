import { defineJob } from '@durably/core';
import { abortableSleep } from '../abortable-sleep.js';

/**
 * A non-concurrent recurring job: every 20 seconds, but a sync sometimes takes longer than that.
 * A slot that comes while the previous sync still runs is recorded as `skipped` instead of
 * starting a second sync against the same warehouse (`durably runs --status skipped`).
 */
export const syncInventory = defineJob({
  name: 'inventory.sync',
  recurring: { cron: '*/20 * * * * *', timeZone: 'UTC', allowConcurrentRuns: false },
  async run(_payload, ctx) {
    const seconds = 5 + Math.floor(Math.random() * 25);
    ctx.log(`syncing stock levels (about ${seconds}s)`);
    await abortableSleep(seconds * 1_000, ctx.signal);
    ctx.logger.info('inventory synced', { seconds });
  },
});
