export { createFakeClock, type FakeClock } from '@durably/core';
export { runStoreConformance } from './conformance/run-store-conformance.js';
/**
 * A test fixture for provider and integration tests: a `NewRun` of job `conformance.job-a` in the
 * default queue, payload `{}`, due now, with 3 attempts, no key, origin `enqueue`; override what matters.
 */
export { newRun } from './conformance/conformance-fixtures.js';
export type { StoreConformanceHarness } from './conformance/store-conformance-harness.js';
export {
  expectEnqueued,
  expectNotEnqueued,
  listEnqueued,
  type ExpectEnqueuedOptions,
  type JobReference,
  type ListEnqueuedOptions,
} from './enqueued-runs.js';
export { drain, type Drainable } from './drain.js';
export { createRecordingLogger, type LogRecord } from './recording-logger.js';
export {
  runExactlyOnceChild,
  type ExactlyOnceChildOptions,
  type ExactlyOnceChildResult,
} from './exactly-once/run-exactly-once-child.js';
export {
  spawnExactlyOnceProcesses,
  type SpawnExactlyOnceOptions,
} from './exactly-once/spawn-exactly-once-processes.js';
