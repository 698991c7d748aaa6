import type { TrackedTimers } from './tracked-timers.js';

/**
 * Runs `task` every `intervalMs` (waiting for each run to end before timing the next), starting one
 * interval from now. A failing task is reported to `onError` and tried again next interval. Returns
 * a function that stops it.
 */
export function repeatEvery(
  timers: TrackedTimers,
  intervalMs: number,
  task: () => Promise<unknown>,
  onError: (error: unknown) => void,
): () => void {
  let stopped = false;
  let cancel: (() => void) | undefined;
  const schedule = () => {
    cancel = timers.after(intervalMs, () => {
      void task()
        .catch((error: unknown) => {
          try {
            onError(error);
          } catch {
            // a throwing error handler must not become an unhandled rejection
          }
        })
        .finally(() => {
          if (!stopped) schedule();
        });
    });
  };
  schedule();
  return () => {
    stopped = true;
    cancel?.();
  };
}
