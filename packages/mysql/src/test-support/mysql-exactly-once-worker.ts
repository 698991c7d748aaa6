/**
 * Child process of the multi-process test: enqueues `count` runs (bulk, 1 000 per call), then
 * claims and finishes runs until none is left, and prints how many finishes applied and how long
 * the claiming took. Run with `node --conditions=@durably/source --import tsx`.
 */
import type { NewRun } from '@durably/core';
import { createMySqlStore } from '../mysql-store.js';

const [url, prefix, countText, workerName, batchText] = process.argv.slice(2);
const count = Number(countText);
const batch = Number(batchText ?? '50');
const store = createMySqlStore({ connectionString: url!, tablePrefix: prefix!, maxConnections: 4 });
const run: NewRun = {
  jobName: 'mp.job',
  payloadJson: '{"n":1}',
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
const started = Date.now();
let applied = 0;
for (;;) {
  const claimed = await store.runClaim({
    workerName: workerName!,
    limit: batch,
    leaseDurationMs: 300_000,
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
process.stdout.write(JSON.stringify({ applied, claimMs: Date.now() - started }));
