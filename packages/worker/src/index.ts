export { createWorker, type CreateWorkerOptions } from './create-worker.js';
export type { Worker, WorkerState, IterationResult, DrainResult } from './worker.js';
export { AttemptAbortedError, type AbortCause } from './attempt-aborted-error.js';
export { silentLogger, type WorkerLogger } from './worker-logger.js';
export type { ScopeFactory } from './worker-runtime.js';
export { computePollDelayMs } from './poll-delay.js';
export { decideOutcome, type DecideOutcomeInput, type HandlerResult, type AttemptRequests } from './decide-outcome.js';
