import type { DurablyStore } from '@durably/core';
import type { SqlStore } from '@durably/sql';
import { runStoreConformance } from '@durably/testing';
import { afterAll, describe, it } from 'vitest';
import { createPostgresStore } from './postgres-store.js';
import { dropSchema, resolveTestDatabase, uniqueSchemaName } from './test-support/test-database.js';

const database = await resolveTestDatabase();
afterAll(async () => {
  if (database.url) await database.stop();
});

if (database.url !== undefined) {
  const url = database.url;
  // Every store gets its own schema, dropped after its test.
  const schemas = new WeakMap<DurablyStore, string>();
  runStoreConformance({
    name: 'postgres',
    createStore: async ({ clock }) => {
      const schema = uniqueSchemaName('conf');
      const store = createPostgresStore({ connectionString: url, schema, clock, poolSize: 4 });
      schemas.set(store, schema);
      await store.migrate();
      return store;
    },
    destroyStore: async (store) => {
      await store.close();
      await dropSchema(url, schemas.get(store)!);
    },
    // A transaction on the store's own pool, as an application would pass its Kysely one.
    runInTransaction: (store, work) =>
      (store as SqlStore).context.db.transaction().execute((trx) => work(trx)),
  });
} else {
  describe('store conformance: postgres', () => {
    it.skip(database.skipReason, () => {});
  });
}
