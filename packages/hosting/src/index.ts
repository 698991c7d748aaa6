export { createDurably, type CreateDurablyOptions, type Durably } from './create-durably.js';
export { handleSignals, type SignalProcess } from './handle-signals.js';
