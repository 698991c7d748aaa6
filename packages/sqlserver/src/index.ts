export {
  createSqlServerStore,
  createSqlServerStoreOn,
  type SqlServerStoreOptions,
} from './sqlserver-store.js';
export { SqlServerAdapter } from './sqlserver-adapter.js';
export { SqlServerCompatPlugin } from './sqlserver-compat-plugin.js';
export { parseSqlServerConnectionString } from './sqlserver-connection.js';
