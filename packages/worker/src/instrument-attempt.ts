import type { AttemptInfo, Instrumentation } from '@durably/core';
import type { WorkerLogger } from './worker-logger.js';

/**
 * Runs `execute` (the whole attempt, resolving to its outcome) inside the instrumentation's
 * `attempt` hook, so a tracing integration can open a span around it and read the outcome. The
 * attempt runs exactly once whatever the hook does: if it throws before calling `execute`, or never
 * calls it, the attempt runs without it; if it throws after, the attempt's own result is kept.
 * Telemetry can never change or lose an outcome.
 */
export async function instrumentAttempt<T>(
  instrumentation: Instrumentation | undefined,
  info: AttemptInfo,
  execute: () => Promise<T>,
  logger: WorkerLogger,
): Promise<T> {
  const hook = instrumentation?.attempt;
  if (!hook) return execute();
  let executed: Promise<T> | undefined;
  const once = () => (executed ??= execute());
  try {
    await hook.call(instrumentation, info, once);
  } catch (error) {
    logger.warn({ err: error }, 'the instrumentation attempt hook threw; the attempt outcome is unaffected');
  }
  return once();
}
