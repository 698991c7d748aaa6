export { createMySqlStore, type MySqlStoreOptions } from './mysql-store.js';
export { MySqlAdapter } from './mysql-adapter.js';
