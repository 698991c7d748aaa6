import { createMySqlStore } from '../mysql-store.js';
const store = createMySqlStore({ connectionString: 'mysql://root@127.0.0.1:3306/durably_prof', tablePrefix: 'p_' });
await store.migrate();
const run = { jobName: 'mp.job', payloadJson: '{}', queue: 'default', priority: 0, maxAttempts: 1, runAt: null, key: null, keyConflict: 'keep-existing' as const, origin: 'enqueue' as const, metadata: {} };
let t = Date.now();
for (let i = 0; i < 2; i++) await store.runInsertMany({ runs: Array.from({ length: 1000 }, () => run) });
console.log('insert 2000', Date.now() - t);
let claimMs = 0, finishMs = 0;
for (;;) {
  t = Date.now();
  const claimed = await store.runClaim({ workerName: 'w', limit: 50, leaseDurationMs: 300_000, jobNames: ['mp.job'] });
  claimMs += Date.now() - t;
  if (claimed.length === 0) break;
  t = Date.now();
  await store.runFinishMany({ finishes: claimed.map((c) => ({ runId: c.run.runId, workerName: 'w', attempt: c.run.attempt, outcome: { type: 'succeeded' as const } })) });
  finishMs += Date.now() - t;
}
console.log({ claimMs, finishMs });
await store.close();
