export { createPostgresStore, type PostgresStoreOptions } from './postgres-store.js';
export { PostgresAdapter } from './postgres-adapter.js';
