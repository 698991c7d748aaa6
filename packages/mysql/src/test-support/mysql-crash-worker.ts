/**
 * Child process of the crash test: claims up to 10 runs (leases from the database clock), prints
 * their ids, and kills itself with SIGKILL while holding them: no finish, no release, no close.
 * Run with `node --conditions=@durably/source --import tsx`.
 */
import { createMySqlStore } from '../mysql-store.js';

const [url, prefix] = process.argv.slice(2);
const store = createMySqlStore({ connectionString: url!, tablePrefix: prefix! });
const claimed = await store.runClaim({
  workerName: 'doomed',
  limit: 10,
  leaseDurationMs: 60_000,
  jobNames: ['crash.job'],
});
process.stdout.write(JSON.stringify(claimed.map((c) => c.run.runId)), () =>
  process.kill(process.pid, 'SIGKILL'),
);
