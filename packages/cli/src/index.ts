export { runCli } from './run-cli.js';
export type { CliIo, TextSink } from './cli-io.js';
export { exitCodes, type ExitCode } from './exit-codes.js';
export { CliError } from './cli-error.js';
export {
  createStoreFromUrl,
  parseDatabaseUrl,
  acceptedDatabaseUrls,
  type StoreFromUrlOptions,
  type DatabaseTarget,
} from './create-store-from-url.js';
export type { ConfigModule } from './config-module.js';
