import { defineJob } from '@durably/core';
import { abortableSleep } from '../abortable-sleep.js';

/** What `POST /videos` accepts: the video to transcode. */
export interface TranscodeRequest {
  videoId: string;
}

/** Steps of the fake transcode; each takes `stepMs`. */
const steps = 20;
const stepMs = 1_500;

/**
 * A long job (about 30 s) that reports progress and log lines, and stops when cancelled
 * (`POST /runs/:id/cancel` or `durably cancel <runId>`): `ctx.signal` aborts and the sleep rejects.
 */
export const transcodeVideo = defineJob<TranscodeRequest>({
  name: 'videos.transcode',
  async run(payload, ctx) {
    for (let step = 1; step <= steps; step++) {
      await abortableSleep(stepMs, ctx.signal);
      const percent = Math.round((step / steps) * 100);
      ctx.progress(percent, `segment ${step}/${steps}`);
      if (step % 5 === 0) ctx.log(`video ${payload.videoId}: ${percent}% transcoded`);
    }
    ctx.log(`video ${payload.videoId} ready in 1080p and 720p`);
  },
});
