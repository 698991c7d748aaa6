import { createMemoryStore } from '@durably/core';
import { runStoreConformance } from './conformance/run-store-conformance.js';

runStoreConformance({
  name: 'memory',
  createStore: async ({ clock }) => createMemoryStore({ clock }),
});
