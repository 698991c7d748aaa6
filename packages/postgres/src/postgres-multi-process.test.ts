import { fileURLToPath } from 'node:url';
import { spawnExactlyOnceProcesses } from '@durably/testing';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { dropSchema, resolveTestDatabase, uniqueSchemaName } from './test-support/test-database.js';

const fixture = fileURLToPath(new URL('./test-support/exactly-once-process.ts', import.meta.url));
const database = await resolveTestDatabase();
const schema = uniqueSchemaName('mp');
afterAll(async () => {
  if (!database.url) return;
  await dropSchema(database.url, schema);
  await database.stop();
});

describe.skipIf(!database.url)('postgres: several processes on one database', () => {
  it('4 processes × 10 000 runs (migrating a fresh schema at once): every run is claimed and finished exactly once', async () => {
    const url = database.url!;
    // The schema does not exist yet: the processes also race to create and migrate it.
    const outputs = await spawnExactlyOnceProcesses({
      script: fixture,
      nodeArguments: ['--conditions=@durably/source', '--import', 'tsx'],
      processes: 4,
      argumentsFor: (index) => [url, schema, '10000', `proc-${index + 1}`],
      timeoutMs: 150_000,
    });
    expect(outputs.reduce((sum, output) => sum + output.applied, 0)).toBe(40_000);
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      const statuses = await client.query(
        `select status, count(*)::int as n from "${schema}".durably_runs group by status`,
      );
      expect(statuses.rows).toEqual([{ status: 'succeeded', n: 40_000 }]);
      // One attempt per run and every run at attempt 1: no run was claimed twice.
      const attempts = await client.query(
        `select count(*)::int as n, count(distinct run_id)::int as runs, max(attempt) as top from "${schema}".durably_attempts`,
      );
      expect(attempts.rows[0]).toEqual({ n: 40_000, runs: 40_000, top: 1 });
    } finally {
      await client.end();
    }
  }, 180_000);
});
