import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SqlStore } from '@durably/sql';
import { runStoreConformance } from '@durably/testing';
import { afterAll } from 'vitest';
import { createSqliteStore } from './sqlite-store.js';

// Every store of this file gets its own database file in one temp directory.
const dir = mkdtempSync(join(tmpdir(), 'durably-sqlite-conformance-'));
let counter = 0;
afterAll(() => rmSync(dir, { recursive: true, force: true }));

runStoreConformance({
  name: 'sqlite',
  createStore: async ({ clock }) => {
    counter += 1;
    const store = createSqliteStore({
      filename: join(dir, `store-${counter}.db`),
      clock,
      synchronous: 'normal',
    });
    await store.migrate();
    return store;
  },
  destroyStore: (store) => store.close(),
  // A transaction on the store's own connections, as an application would pass its Kysely one.
  runInTransaction: (store, work) => (store as SqlStore).context.db.transaction().execute((trx) => work(trx)),
});
