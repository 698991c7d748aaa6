import type { DurablyStore } from '@durably/core';
import type { SqlStore } from '@durably/sql';
import { runStoreConformance } from '@durably/testing';
import { afterAll, beforeAll, describe } from 'vitest';
import { createSqlServerStore } from './sqlserver-store.js';
import { SqlServerTestSchemas, resolveSqlServerTarget } from './test-support/sqlserver-test-server.js';

// A real server from DURABLY_TEST_MSSQL_URL, or a container when Docker answers; otherwise every
// test below is reported as skipped (never as passed), with the reason in the suite's title.
const target = await resolveSqlServerTarget();

describe.skipIf(!target.url)(
  target.url ? `sqlserver provider (${target.reason})` : `sqlserver provider (skipped: ${target.reason})`,
  () => {
    let schemas: SqlServerTestSchemas;
    const schemaOf = new WeakMap<DurablyStore, string>();
    beforeAll(async () => {
      schemas = new SqlServerTestSchemas(target.url!);
      await schemas.check();
    }, 120_000);
    afterAll(async () => {
      await schemas?.close();
      await target.stop();
    });

    runStoreConformance({
      name: 'sqlserver',
      createStore: async ({ clock }) => {
        const schema = schemas.nextName();
        const store = createSqlServerStore({ connectionString: target.url!, schema, clock });
        schemaOf.set(store, schema);
        await store.migrate();
        return store;
      },
      destroyStore: async (store) => {
        await store.close();
        const schema = schemaOf.get(store);
        if (schema) await schemas.drop(schema);
      },
      runInTransaction: (store, work) =>
        (store as SqlStore).context.db.transaction().execute((trx) => work(trx)),
    });
  },
);
