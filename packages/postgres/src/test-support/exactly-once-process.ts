/**
 * Child process of the multi-process test (the shared body is @durably/testing's
 * `runExactlyOnceChild`). Arguments: url, schema, runs, worker name. Run with
 * `node --conditions=@durably/source --import tsx`.
 */
import { runExactlyOnceChild } from '@durably/testing';
import { createPostgresStore } from '../postgres-store.js';

const [url, schema, runs, workerName] = process.argv.slice(2);
const store = createPostgresStore({
  connectionString: url!,
  schema: schema!,
  poolSize: 4,
  notifications: false,
});
await runExactlyOnceChild({ store, runs: Number(runs), workerName: workerName!, claimBatchSize: 200 });
