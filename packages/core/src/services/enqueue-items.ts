import { InvalidArgumentError } from '../errors.js';
import type { EnqueueOptions } from './enqueue-options.js';

/** One run of an `enqueueMany` call with its own options. */
export interface EnqueueItem<Payload> {
  payload: Payload;
  /** Overrides the call's options for this run (not `transaction`). */
  opts?: Omit<EnqueueOptions, 'transaction'>;
}

/** An item of an `enqueueMany` call, its merged options and the argument names for errors. */
export interface SplitEnqueueItem {
  payload: unknown;
  opts: EnqueueOptions | undefined;
  argument: string;
  payloadArgument: string;
}

/**
 * Normalises `enqueueMany` items. The list is in the `{ payload, opts }` form when every element is a
 * plain object whose keys are `payload` or `payload` + `opts`; a mix of forms is refused, since it
 * would make a payload that happens to have a `payload` key ambiguous.
 */
export function splitEnqueueItems(items: unknown, opts: EnqueueOptions | undefined): SplitEnqueueItem[] {
  if (!Array.isArray(items)) {
    throw new InvalidArgumentError('items', 'must be an array of payloads or of { payload, opts } objects.');
  }
  const wrapped = items.map(isWrappedItem);
  const wrappedCount = wrapped.filter(Boolean).length;
  if (wrappedCount > 0 && wrappedCount < items.length) {
    const index = wrapped.indexOf(false);
    throw new InvalidArgumentError(
      `items[${index}]`,
      'mixes plain payloads with { payload, opts } items; wrap every element as { payload } (or none).',
    );
  }
  return items.map((item: unknown, index) => {
    if (wrappedCount === 0) return { payload: item, opts, argument: 'opts', payloadArgument: `items[${index}]` };
    const { payload, opts: own } = item as EnqueueItem<unknown>;
    if (own !== undefined && (typeof own !== 'object' || own === null)) {
      throw new InvalidArgumentError(`items[${index}].opts`, 'must be an options object.');
    }
    if (own !== undefined && 'transaction' in own) {
      throw new InvalidArgumentError(`items[${index}].opts.transaction`, 'pass the transaction once, in the call\'s opts.');
    }
    const merged = opts === undefined && own === undefined ? undefined : mergeOptions(opts, own);
    return { payload, opts: merged, argument: `items[${index}].opts`, payloadArgument: `items[${index}].payload` };
  });
}

function mergeOptions(shared: EnqueueOptions | undefined, own: EnqueueOptions | undefined): EnqueueOptions {
  const merged: EnqueueOptions = { ...shared, ...own };
  // One item's runAt replaces the call's delay (and the other way round) instead of clashing.
  if (own?.runAt !== undefined) delete merged.delay;
  if (own?.delay !== undefined) delete merged.runAt;
  delete merged.transaction;
  return merged;
}

function isWrappedItem(item: unknown): boolean {
  if (typeof item !== 'object' || item === null || Object.getPrototypeOf(item) !== Object.prototype) return false;
  const keys = Object.keys(item);
  return keys.includes('payload') && keys.every((key) => key === 'payload' || key === 'opts');
}
