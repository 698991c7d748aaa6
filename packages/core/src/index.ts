export * from './errors.js';
export * from './model.js';
export * from './store.js';
export * from './clock.js';
export * from './events.js';
export * from './job-context.js';
export * from './job-definition.js';
export * from './memory/memory-store.js';
