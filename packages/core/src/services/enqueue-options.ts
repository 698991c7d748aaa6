import type { Clock } from '../clock.js';
import { describeValue } from './describe-value.js';
import { parseDuration } from '../duration.js';
import { InvalidArgumentError } from '../errors.js';
import { portableStringProblem } from '../payload/portable-string.js';
import { priorityProblem, queueNameProblem } from '../registry/names.js';
import type { KeyConflictBehavior } from '../store.js';

/** Longest accepted idempotency key, in characters (the stores' `key` columns hold 255). */
export const runKeyMaxLength = 255;
/** Most metadata entries per run; metadata is for correlation ids and trace context, not data. */
export const metadataMaxEntries = 64;
/** Longest metadata key and value, in characters. */
export const metadataKeyMaxLength = 128;
export const metadataValueMaxLength = 4096;

const keyConflictBehaviors: readonly KeyConflictBehavior[] = ['keep-existing', 'replace', 'reject'];

/** Per-call options of `enqueue`, `enqueueMany` and `enqueueByName`. */
export interface EnqueueOptions {
  /**
   * The caller's open transaction (a Kysely `Transaction` on SQL stores): the run exists if and only
   * if it commits. Only on stores with `capabilities.transactionalEnqueue`.
   */
  transaction?: unknown;
  /** Idempotency key (≤ 255 characters), unique among the job's active runs. Default: none. */
  key?: string;
  /** What happens when an active run of the job has the same `key`. Default `keep-existing`. Needs `key`. */
  keyConflict?: KeyConflictBehavior;
  /** Overrides the job's priority (higher runs first). 32-bit integer. */
  priority?: number;
  /** Overrides the job's queue. */
  queue?: string;
  /** Run after this delay: milliseconds, or a duration string (`"30s"`, `"10m"`). Measured from the client's clock. Not with `runAt`. */
  delay?: number | string;
  /** Run at (or after) this time. Not with `delay`. A past time means as soon as possible. */
  runAt?: Date;
  /** String pairs kept with the run (correlation ids, trace context). At most 64 entries. */
  metadata?: Record<string, string>;
}

/** Options of `schedule`: the time is its own argument. */
export type ScheduleOptions = Omit<EnqueueOptions, 'delay' | 'runAt'>;

/** The checked form of `EnqueueOptions`; `runAt: null` means the store's now. */
export interface CheckedEnqueueOptions {
  runAt: Date | null;
  key: string | null;
  keyConflict: KeyConflictBehavior;
  priority: number | undefined;
  queue: string | undefined;
  metadata: Record<string, string>;
}

const knownKeys = new Set(['transaction', 'key', 'keyConflict', 'priority', 'queue', 'delay', 'runAt', 'metadata']);

/**
 * Checks enqueue options and turns `delay` into a `runAt` on `clock`. Throws `InvalidArgumentError`
 * naming the argument (`opts.delay`, `items[3].opts.key`, …). `argument` is the prefix used in names.
 */
export function checkEnqueueOptions(opts: unknown, clock: Clock, argument = 'opts'): CheckedEnqueueOptions {
  if (opts === undefined) return { runAt: null, key: null, keyConflict: 'keep-existing', priority: undefined, queue: undefined, metadata: {} };
  if (typeof opts !== 'object' || opts === null || Array.isArray(opts)) {
    throw new InvalidArgumentError(argument, `must be an options object, got ${describeValue(opts)}.`);
  }
  const options = opts as EnqueueOptions;
  for (const name of Object.keys(options)) {
    if (!knownKeys.has(name)) {
      throw new InvalidArgumentError(`${argument}.${name}`, `is not an enqueue option; use one of ${[...knownKeys].join(', ')}.`);
    }
  }
  return {
    runAt: checkRunAt(options, clock, argument),
    key: checkKey(options.key, `${argument}.key`),
    keyConflict: checkKeyConflict(options, argument),
    priority: checkOptional(options.priority, `${argument}.priority`, priorityProblem),
    queue: checkOptional(options.queue, `${argument}.queue`, queueNameProblem),
    metadata: checkMetadata(options.metadata, `${argument}.metadata`),
  };
}

function checkRunAt(options: EnqueueOptions, clock: Clock, argument: string): Date | null {
  if (options.delay !== undefined && options.runAt !== undefined) {
    throw new InvalidArgumentError(`${argument}.delay`, 'give either `delay` or `runAt`, not both.');
  }
  if (options.runAt !== undefined) return checkDate(options.runAt, `${argument}.runAt`);
  if (options.delay === undefined) return null;
  const delayMs = checkDelay(options.delay, `${argument}.delay`);
  return new Date(clock.now().getTime() + delayMs);
}

/** A valid `Date` (not a string, not `new Date('nope')`). */
export function checkDate(value: unknown, argument: string): Date {
  if (!(value instanceof Date)) {
    throw new InvalidArgumentError(argument, `must be a Date, got ${describeValue(value)}; use new Date(isoString).`);
  }
  if (Number.isNaN(value.getTime())) throw new InvalidArgumentError(argument, 'is an invalid Date (NaN time).');
  return new Date(value.getTime());
}

/** A delay in milliseconds from a number (ms) or duration string. */
export function checkDelay(value: unknown, argument: string): number {
  if (typeof value === 'number' && (!Number.isFinite(value) || value < 0)) {
    throw new InvalidArgumentError(argument, `must be a finite number of milliseconds ≥ 0, got ${String(value)}.`);
  }
  if (typeof value !== 'number' && typeof value !== 'string') {
    throw new InvalidArgumentError(argument, `must be milliseconds or a duration string such as "30s", got ${describeValue(value)}.`);
  }
  try {
    return parseDuration(value, argument);
  } catch {
    throw new InvalidArgumentError(argument, `cannot read ${JSON.stringify(value)} as a delay ≥ 0; use "30s", "10m", "1h" or milliseconds.`);
  }
}

function checkKey(key: unknown, argument: string): string | null {
  if (key === undefined) return null;
  if (typeof key !== 'string') throw new InvalidArgumentError(argument, `must be a string, got ${describeValue(key)}.`);
  if (key.length === 0) throw new InvalidArgumentError(argument, 'must not be empty; omit it for no key.');
  if (key.length > runKeyMaxLength) {
    throw new InvalidArgumentError(argument, `must be at most ${runKeyMaxLength} characters (got ${key.length}); hash long keys.`);
  }
  const problem = portableStringProblem(key);
  if (problem !== undefined) throw new InvalidArgumentError(argument, problem);
  return key;
}

function checkKeyConflict(options: EnqueueOptions, argument: string): KeyConflictBehavior {
  const value = options.keyConflict;
  if (value === undefined) return 'keep-existing';
  if (!keyConflictBehaviors.includes(value)) {
    throw new InvalidArgumentError(`${argument}.keyConflict`, `must be one of ${keyConflictBehaviors.join(', ')}, got ${describeValue(value)}.`);
  }
  if (options.key === undefined) {
    throw new InvalidArgumentError(`${argument}.keyConflict`, 'only applies to runs with a `key`; set `key` too.');
  }
  return value;
}

function checkOptional<T>(value: T | undefined, argument: string, problem: (value: unknown) => string | undefined): T | undefined {
  if (value === undefined) return undefined;
  const message = problem(value);
  if (message !== undefined) throw new InvalidArgumentError(argument, message);
  return value;
}

function checkMetadata(metadata: unknown, argument: string): Record<string, string> {
  if (metadata === undefined) return {};
  const prototype: unknown = typeof metadata === 'object' && metadata !== null ? Object.getPrototypeOf(metadata) : undefined;
  if (prototype !== Object.prototype && prototype !== null) {
    throw new InvalidArgumentError(argument, `must be a plain object of string → string, got ${describeValue(metadata)}.`);
  }
  const entries = Object.entries(metadata as object);
  if (entries.length > metadataMaxEntries) {
    throw new InvalidArgumentError(argument, `has ${entries.length} entries; at most ${metadataMaxEntries} are kept per run.`);
  }
  const result: Record<string, string> = {};
  for (const [key, value] of entries) {
    if (key === '' || key.length > metadataKeyMaxLength || key === '__proto__') {
      throw new InvalidArgumentError(argument, `key ${JSON.stringify(key)} must be 1 to ${metadataKeyMaxLength} characters and not "__proto__".`);
    }
    if (typeof value !== 'string') {
      throw new InvalidArgumentError(`${argument}.${key}`, `must be a string, got ${describeValue(value)}; convert it with String().`);
    }
    if (value.length > metadataValueMaxLength) {
      throw new InvalidArgumentError(`${argument}.${key}`, `must be at most ${metadataValueMaxLength} characters (got ${value.length}).`);
    }
    const problem = portableStringProblem(key) ?? portableStringProblem(value);
    if (problem !== undefined) throw new InvalidArgumentError(`${argument}.${key}`, problem);
    result[key] = value;
  }
  return result;
}
