/**
 * Child process of the multi-process test: enqueues `count` runs (bulk, 1 000 per statement), then
 * claims and finishes runs until none is left, and prints how many finishes applied. Run with
 * `node --conditions=@durably/source --import tsx`.
 */
import type { NewRun } from '@durably/core';
import { createPostgresStore } from '../postgres-store.js';

const [url, schema, countText, workerName] = process.argv.slice(2);
const count = Number(countText);
const store = createPostgresStore({
  connectionString: url!,
  schema: schema!,
  poolSize: 4,
  notifications: false,
});
// Every process migrates at startup, as hosting does: concurrent migrations must be safe.
await store.migrate();
const run: NewRun = {
  jobName: 'mp.job',
  payloadJson: '{}',
  queue: 'default',
  priority: 0,
  maxAttempts: 1,
  runAt: null,
  key: null,
  keyConflict: 'keep-existing',
  origin: 'enqueue',
  metadata: {},
};
for (let done = 0; done < count; done += 1_000) {
  await store.runInsertMany({ runs: Array.from({ length: Math.min(1_000, count - done) }, () => run) });
}
let applied = 0;
for (;;) {
  const claimed = await store.runClaim({
    workerName: workerName!,
    limit: 200,
    leaseDurationMs: 120_000,
    jobNames: ['mp.job'],
  });
  if (claimed.length === 0) break;
  const results = await store.runFinishMany({
    finishes: claimed.map((c) => ({
      runId: c.run.runId,
      workerName: workerName!,
      attempt: c.run.attempt,
      outcome: { type: 'succeeded' as const },
    })),
  });
  applied += results.filter((r) => r.applied).length;
}
await store.close();
process.stdout.write(JSON.stringify({ applied }));
