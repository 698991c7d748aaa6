import type { JobDefinition } from '@durably/core';
import type { AttemptContext } from './attempt-context.js';
import type { HandlerResult } from './decide-outcome.js';
import type { WorkerLogger } from './worker-logger.js';
import type { ScopeFactory } from './worker-runtime.js';

/**
 * Runs the handler inside its per-execution scope. Never throws: a throw from the scope factory or
 * the handler (synchronous or not) is the attempt's failure; a throw from disposing the scope is
 * logged and does not change the outcome.
 */
export async function runHandler(input: {
  definition: JobDefinition;
  payload: unknown;
  ctx: AttemptContext;
  createScope: ScopeFactory | undefined;
  logger: WorkerLogger;
}): Promise<HandlerResult> {
  const { ctx } = input;
  try {
    if (input.createScope) ctx.scope = await input.createScope(ctx);
    await input.definition.run(input.payload, ctx);
    return { kind: 'returned' };
  } catch (error) {
    return { kind: 'threw', error };
  } finally {
    await disposeScope(ctx.scope, input.logger);
  }
}

const asyncDispose: symbol = (Symbol as { asyncDispose?: symbol }).asyncDispose ?? Symbol.for('Symbol.asyncDispose');
const syncDispose: symbol = (Symbol as { dispose?: symbol }).dispose ?? Symbol.for('Symbol.dispose');

/** Disposes a scope through `Symbol.asyncDispose`, `Symbol.dispose` or `dispose()`, whichever it has first. */
export async function disposeScope(scope: unknown, logger: WorkerLogger): Promise<void> {
  if (scope === null || (typeof scope !== 'object' && typeof scope !== 'function')) return;
  const target = scope as Record<PropertyKey, unknown>;
  const method = [target[asyncDispose], target[syncDispose], target.dispose].find(
    (candidate): candidate is () => unknown => typeof candidate === 'function',
  );
  if (!method) return;
  try {
    await method.call(scope);
  } catch (error) {
    logger.error({ err: error }, 'disposing the per-execution scope failed; the run outcome is unchanged');
  }
}
