import type { StandardSchemaV1 } from '@standard-schema/spec';
import type { JobContext } from './job-context.js';

/** How retry delays grow: `fixed` keeps the base delay; `backoff` doubles it per failed attempt. */
export type RetryMode = 'fixed' | 'backoff';

export interface RetryOptions {
  /** Default `fixed`. */
  mode?: RetryMode;
  /** Base delay in seconds; unset or `0` falls back to the global `retryDelay` (5 s). */
  initialDelaySeconds?: number;
}

export interface RecurringOptions<Payload> {
  /**
   * 5-field (`m h dom mon dow`) or 6-field (`s m h dom mon dow`) cron, or a natural interval such as
   * `every 5 minutes`.
   */
  cron: string;
  /** IANA zone id. Default `UTC` (never the process's zone). */
  timeZone?: string;
  /** Whether the schedule starts enabled. Default `true`. */
  enabled?: boolean;
  /** Whether a slot may start while an earlier run is still active. Default `false`. */
  allowConcurrentRuns?: boolean;
  /** Payload given to every run of the schedule. Required when the job takes a payload. */
  payload?: Payload;
}

export type JobHandler<Payload> = (payload: Payload, ctx: JobContext) => Promise<unknown> | unknown;

/** What `defineJob` takes. Only `name` and `run` are required. */
export interface JobConfig<Payload> {
  /** Stable identity: stored, shown and traced. Keep it stable once production data exists. */
  name: string;
  /** Any Standard Schema (zod, valibot, …); validated at enqueue and again before execution. */
  schema?: StandardSchemaV1<unknown, Payload>;
  /** Total attempts including the first. Default 3. */
  maxAttempts?: number;
  retry?: RetryOptions;
  recurring?: RecurringOptions<Payload>;
  /** Higher runs first. Default 0. */
  priority?: number;
  /** The lane workers subscribe to. Default `default`. */
  queue?: string;
  /** Aborts `ctx.signal` after this many seconds of execution. Default: no timeout. */
  timeoutSeconds?: number;
  run: JobHandler<Payload>;
}

/** A job definition with every default filled in. */
export interface JobDefinition<Payload = unknown> {
  readonly name: string;
  readonly schema: StandardSchemaV1<unknown, Payload> | undefined;
  readonly maxAttempts: number;
  readonly retry: { readonly mode: RetryMode; readonly initialDelaySeconds: number | undefined };
  readonly recurring:
    | {
        readonly cron: string;
        readonly timeZone: string;
        readonly enabled: boolean;
        readonly allowConcurrentRuns: boolean;
        readonly payload: Payload | undefined;
      }
    | undefined;
  readonly priority: number;
  readonly queue: string;
  readonly timeoutSeconds: number | undefined;
  readonly run: JobHandler<Payload>;
}

/** The payload type of a job definition. */
export type PayloadOf<J> = J extends JobDefinition<infer P> ? P : never;

export const defaultQueue = 'default';
export const defaultMaxAttempts = 3;

/**
 * Defines a job. The definition is a plain object: list it in `createDurably({ jobs: [...] })`.
 * Definitions are validated when registered (at startup), with errors naming the job and field.
 *
 * @example
 * export const sendWelcome = defineJob<{ userId: string }>({
 *   name: 'email.send-welcome',
 *   maxAttempts: 5,
 *   retry: { mode: 'backoff', initialDelaySeconds: 10 },
 *   async run(payload, ctx) {
 *     await mailer.sendWelcome(payload.userId, { signal: ctx.signal });
 *   },
 * });
 */
export function defineJob<Payload = void>(config: JobConfig<Payload>): JobDefinition<Payload> {
  const recurring = config.recurring;
  return Object.freeze({
    name: config.name,
    schema: config.schema,
    maxAttempts: config.maxAttempts ?? defaultMaxAttempts,
    retry: Object.freeze({
      mode: config.retry?.mode ?? 'fixed',
      initialDelaySeconds: config.retry?.initialDelaySeconds,
    }),
    recurring: recurring
      ? Object.freeze({
          cron: recurring.cron,
          timeZone: recurring.timeZone ?? 'UTC',
          enabled: recurring.enabled ?? true,
          allowConcurrentRuns: recurring.allowConcurrentRuns ?? false,
          payload: recurring.payload,
        })
      : undefined,
    priority: config.priority ?? 0,
    queue: config.queue ?? defaultQueue,
    timeoutSeconds: config.timeoutSeconds,
    run: config.run,
  });
}
