export { SqlStore, type SqlStoreOptions } from './sql-store.js';
export {
  SqlDialectAdapter,
  type AnyDb,
  type ClaimParams,
  type ColumnKind,
  type IndexSpec,
  type SqlExecutor,
} from './sql-dialect-adapter.js';
export type { SqlContext, RunInsertRow, FinishPlan, FinishRowResult, ClaimedRunRow } from './sql-context.js';
export { createTableNames, type TableNames } from './table-names.js';
export { migrationIds } from './sql-migrations.js';
export { claimableStatuses, dueRunIdsQuery, isEmptyClaim, leaseAssignments } from './run-claim.js';
export {
  makesDueNow,
  attemptOutcomeOf,
  attemptRecordValues,
  finishAssignments,
  groupBySameEffect,
  fillCurrentStatus,
  planFinish,
} from './run-finish.js';
export { selectTime } from './lease-operations.js';
export { leasePoolSize, resolvePoolSize } from './resolve-pool-size.js';
export { isRunId } from './run-id.js';
export { transientSocketCodes } from './transient-socket-codes.js';
export { allOrNothing, dueNowQueues, runInsertValues } from './run-insert.js';
export { maxLockConflictRetries, retryOnLockConflict } from './retry-on-lock-conflict.js';
export { payloadJsonPath } from './payload-json-path.js';
