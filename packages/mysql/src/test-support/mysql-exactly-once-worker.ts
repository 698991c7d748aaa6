/**
 * Child process of the multi-process test (the shared body is @durably/testing's
 * `runExactlyOnceChild`). Arguments: url, table prefix, runs, worker name, claim batch (default
 * 50). The parent migrates first. Run with `node --conditions=@durably/source --import tsx`.
 */
import { runExactlyOnceChild } from '@durably/testing';
import { createMySqlStore } from '../mysql-store.js';

const [url, prefix, runs, workerName, batch] = process.argv.slice(2);
const store = createMySqlStore({ connectionString: url!, tablePrefix: prefix!, maxConnections: 4 });
await runExactlyOnceChild({
  store,
  runs: Number(runs),
  workerName: workerName!,
  migrate: false,
  claimBatchSize: Number(batch ?? '50'),
});
