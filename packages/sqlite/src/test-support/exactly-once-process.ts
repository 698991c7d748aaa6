/**
 * Child process of the multi-process test (the shared body is @durably/testing's
 * `runExactlyOnceChild`). Arguments: database file, runs, worker name. Run with
 * `node --conditions=@durably/source --import tsx`.
 */
import { runExactlyOnceChild } from '@durably/testing';
import { createSqliteStore } from '../sqlite-store.js';

const [filename, runs, workerName] = process.argv.slice(2);
const store = createSqliteStore({ filename: filename!, busyTimeoutMs: 30_000 });
await runExactlyOnceChild({ store, runs: Number(runs), workerName: workerName!, insertBatchSize: 500 });
