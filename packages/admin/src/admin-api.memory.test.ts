import { createMemoryStore } from '@durably/core';
import type { StoreFactory } from './test-support/admin-fixture.js';
import { runApiCases } from './test-support/run-api-cases.js';
import { scheduleApiCases } from './test-support/schedule-api-cases.js';
import { securityApiCases } from './test-support/security-api-cases.js';
import { statsApiCases } from './test-support/stats-api-cases.js';

// The admin package speaks only the store contract: the in-memory store passes the same cases.
const factory: StoreFactory = async (clock) => {
  const store = createMemoryStore({ clock });
  await store.migrate();
  return { store, destroy: () => store.close() };
};

runApiCases('memory', factory);
scheduleApiCases('memory', factory);
securityApiCases('memory', factory);
statsApiCases('memory', factory);
