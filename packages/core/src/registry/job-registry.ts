import { JobDefinitionError, UnknownJobError } from '../errors.js';
import type { JobDefinition } from '../job-definition.js';
import { defaultPayloadMaxBytes } from '../payload/serialize-payload.js';
import type { CronSchedule } from '../schedule/parse-schedule.js';
import { validateJobDefinition } from './validate-job-definition.js';

/** The validated set of job definitions a process runs, looked up by name. */
export interface JobRegistry {
  /** The definition with this name, or `undefined`. */
  get(name: string): JobDefinition | undefined;
  /** The definition with this name; throws `UnknownJobError` when there is none. */
  require(name: string): JobDefinition;
  /** Every job name, in registration order. */
  readonly names: readonly string[];
  /** Every definition, in registration order. */
  readonly all: readonly JobDefinition[];
  /** The definitions with a `recurring` schedule. */
  readonly recurring: readonly JobDefinition[];
  /** The parsed schedule of a recurring job (validated at registration), or `undefined`. */
  schedule(name: string): CronSchedule | undefined;
}

export interface JobRegistryOptions {
  /** Size limit applied to recurring payloads, in UTF-8 bytes of JSON. Default 256 KiB. */
  payloadMaxBytes?: number;
}

/**
 * Job definitions typed for any payload: a handler's parameter makes `JobDefinition<P>` invariant in
 * `P`, so a list of different jobs can only be typed with `any`.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyJobDefinition = JobDefinition<any>;

/**
 * Validates job definitions and indexes them by name. Fails on the first invalid definition with a
 * `JobDefinitionError` naming the job and field: names (non-empty, trimmed, ≤ 200 characters, no
 * control characters, unique), `maxAttempts` (integer ≥ 1), `priority` (32-bit integer), `queue`,
 * `timeoutSeconds` (> 0), `retry`, `recurring.cron`/`recurring.timeZone` (parsed once here) and the
 * recurring payload (JSON rules, size, and a synchronous schema; asynchronous schemas are checked by
 * `syncSchedules`).
 *
 * @example
 * const registry = createJobRegistry([sendWelcome, nightlyReport]);
 * registry.require('email.send-welcome');
 */
export function createJobRegistry(jobs: readonly AnyJobDefinition[], options: JobRegistryOptions = {}): JobRegistry {
  const payloadMaxBytes = options.payloadMaxBytes ?? defaultPayloadMaxBytes;
  const byName = new Map<string, { definition: JobDefinition; index: number }>();
  const schedules = new Map<string, CronSchedule>();
  if (!Array.isArray(jobs)) throw new JobDefinitionError('(jobs)', 'jobs', 'must be an array of job definitions.');
  jobs.forEach((definition: unknown, index) => {
    if (typeof definition !== 'object' || definition === null) {
      throw new JobDefinitionError(`jobs[${index}]`, 'definition', `is ${String(definition)}; pass the object returned by defineJob().`);
    }
    const job = definition as JobDefinition;
    const schedule = validateJobDefinition(job, payloadMaxBytes);
    const earlier = byName.get(job.name);
    if (earlier !== undefined) {
      const how = earlier.definition === job ? 'the same definition is listed twice' : 'two definitions use this name';
      throw new JobDefinitionError(
        job.name,
        'name',
        `${how} (jobs[${earlier.index}] and jobs[${index}]); job names must be unique — list each job once or rename one.`,
      );
    }
    byName.set(job.name, { definition: job, index });
    if (schedule !== undefined) schedules.set(job.name, schedule);
  });
  const all = Object.freeze([...byName.values()].map((entry) => entry.definition));
  return Object.freeze({
    get: (name: string) => byName.get(name)?.definition,
    require(name: string): JobDefinition {
      const entry = byName.get(name);
      if (entry === undefined) throw new UnknownJobError(name);
      return entry.definition;
    },
    names: Object.freeze(all.map((job) => job.name)),
    all,
    recurring: Object.freeze(all.filter((job) => job.recurring !== undefined)),
    schedule: (name: string) => schedules.get(name),
  });
}
