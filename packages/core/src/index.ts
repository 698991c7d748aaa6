export * from './errors.js';
export * from './model.js';
export * from './store.js';
export * from './payload-match.js';
export * from './store-arguments.js';
export { newRunId } from './run-id.js';
export * from './clock.js';
export * from './events.js';
export * from './job-context.js';
export * from './job-definition.js';
export * from './memory/memory-store.js';
export * from './duration.js';
export * from './options/durably-options.js';
export * from './options/resolve-options.js';
export * from './options/load-options.js';
export * from './options/describe-options.js';
export * from './retry/retry-policy.js';
export * from './schedule/parse-schedule.js';
export * from './schedule/time-zone.js';
export * from './instrumentation.js';
export * from './payload/serialize-payload.js';
export * from './payload/parse-payload-json.js';
export * from './payload/validate-payload.js';
export * from './registry/job-registry.js';
export * from './services/service-deps.js';
export * from './services/durably-client.js';
export {
  type EnqueueOptions,
  type ScheduleOptions,
  runKeyMaxLength,
  metadataMaxEntries,
  metadataKeyMaxLength,
  metadataValueMaxLength,
} from './services/enqueue-options.js';
export type { EnqueueItem } from './services/enqueue-items.js';
export * from './services/schedule-admin.js';
export * from './services/run-query.js';
export * from './recurring/sync-schedules.js';
export * from './recurring/plan-slot.js';
