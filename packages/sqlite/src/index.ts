export { createSqliteStore, type SqliteStoreOptions } from './sqlite-store.js';
export { SqliteImmediateDialect } from './sqlite-immediate-dialect.js';
export { SqliteAdapter } from './sqlite-adapter.js';
