import type { DurablyStore } from '@durably/core';
import type { SqlStore } from '@durably/sql';
import { runStoreConformance } from '@durably/testing';
import { afterAll, beforeAll, describe } from 'vitest';
import { createMySqlStore } from './mysql-store.js';
import { MySqlTestDatabases, mysqlSkipReason, mysqlTestUrl } from './test-support/mysql-test-database.js';

// Each store of the suite gets its own database, dropped after its test.
describe.skipIf(!mysqlTestUrl)(
  mysqlTestUrl ? 'mysql provider' : `mysql provider (${mysqlSkipReason})`,
  () => {
    let databases: MySqlTestDatabases;
    const databaseOf = new WeakMap<DurablyStore, string>();
    beforeAll(async () => {
      databases = await MySqlTestDatabases.connect(mysqlTestUrl!);
    });
    afterAll(async () => {
      await databases?.close();
    });

    runStoreConformance({
      name: 'mysql',
      createStore: async ({ clock }) => {
        const database = await databases.create();
        const store = createMySqlStore({ connectionString: database.url, clock, tablePrefix: 'c_' });
        databaseOf.set(store, database.name);
        await store.migrate();
        return store;
      },
      destroyStore: async (store) => {
        await store.close();
        const name = databaseOf.get(store);
        if (name) await databases.drop(name);
      },
      runInTransaction: (store, work) =>
        (store as SqlStore).context.db.transaction().execute((trx) => work(trx)),
    });
  },
);
