export { createFakeClock, type FakeClock } from '@durably/core';
export { runStoreConformance } from './conformance/run-store-conformance.js';
export type { StoreConformanceHarness } from './conformance/store-conformance-harness.js';
export {
  expectEnqueued,
  expectNotEnqueued,
  listEnqueued,
  matchesPartially,
  type ExpectEnqueuedOptions,
  type JobReference,
  type ListEnqueuedOptions,
} from './enqueued-runs.js';
export { drain, type Drainable } from './drain.js';
export { createRecordingLogger, type LogRecord } from './recording-logger.js';
export {
  exactlyOnceJobName,
  runExactlyOnceChild,
  type ExactlyOnceChildOptions,
  type ExactlyOnceChildResult,
} from './exactly-once/run-exactly-once-child.js';
export {
  spawnExactlyOnceProcesses,
  type SpawnExactlyOnceOptions,
} from './exactly-once/spawn-exactly-once-processes.js';
