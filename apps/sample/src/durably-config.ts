import type { DurablyOptions } from '@durably/core';
import { capturePayment } from './jobs/capture-payment.js';
import { generateReport } from './jobs/generate-report.js';
import { morningDigest } from './jobs/morning-digest.js';
import { sendReminder } from './jobs/send-reminder.js';
import { syncInventory } from './jobs/sync-inventory.js';
import { transcodeVideo } from './jobs/transcode-video.js';

/**
 * Every job of the sample, listed explicitly. This module is also a CLI config:
 * `durably enqueue reports.generate --config apps/sample/src/durably-config.ts --payload '…'`.
 */
export const jobs = [
  generateReport,
  sendReminder,
  morningDigest,
  capturePayment,
  transcodeVideo,
  syncInventory,
];

/**
 * The sample's options, tuned for a demo: quick polling; a 10 s lease, so the heartbeat (every half
 * lease) notices a cancellation of a running video within about 5 s; a short drain on Ctrl-C.
 */
export const options: DurablyOptions = {
  pollIntervalSeconds: 1,
  leaseDurationSeconds: 10,
  shutdownGraceSeconds: 10,
};
