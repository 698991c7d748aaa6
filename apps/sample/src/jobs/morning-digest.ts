import { defineJob } from '@durably/core';

/**
 * A recurring cron job in a named time zone: 08:00 on weekdays in Berlin, whatever the server's
 * zone and across daylight-saving changes. `durably schedules` shows its next slot.
 */
export const morningDigest = defineJob({
  name: 'digest.morning',
  recurring: { cron: '0 8 * * 1-5', timeZone: 'Europe/Berlin' },
  run(_payload, ctx) {
    ctx.log(`digest for the slot ${ctx.scheduledFor.toISOString()} sent to the team`);
    ctx.logger.info('morning digest sent');
  },
});
