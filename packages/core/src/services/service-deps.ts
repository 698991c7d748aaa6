import type { Clock } from '../clock.js';
import type { Instrumentation } from '../instrumentation.js';
import type { ResolvedOptions } from '../options/durably-options.js';
import type { JobRegistry } from '../registry/job-registry.js';
import type { DurablyStore } from '../store.js';

/**
 * What the client, schedule-admin and run-query services (and registration sync) are built from.
 * `clock` is the application's clock: it turns a relative `delay` into a `runAt` and anchors
 * previews; everything else uses the store's clock.
 */
export interface ServiceDeps {
  store: DurablyStore;
  registry: JobRegistry;
  options: ResolvedOptions;
  clock: Clock;
  /**
   * Tracing hooks (e.g. `createOtelInstrumentation()`): the client and `runNow` call `enqueue`
   * around every insert. Default: none.
   */
  instrumentation?: Instrumentation;
}
