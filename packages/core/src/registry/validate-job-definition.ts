import { DurablyError, JobDefinitionError, ScheduleError } from '../errors.js';
import type { JobDefinition } from '../job-definition.js';
import { serializePayload } from '../payload/serialize-payload.js';
import { payloadIssuesError } from '../payload/validate-payload.js';
import { parseSchedule, type CronSchedule } from '../schedule/parse-schedule.js';
import { jobNameProblem, priorityProblem, queueNameProblem } from './names.js';

/**
 * Checks one job definition and returns its parsed schedule (for recurring jobs). Throws a
 * `JobDefinitionError` naming the job and the field. `payloadMaxBytes` bounds the recurring payload.
 *
 * A schema that validates asynchronously cannot be checked here (registration is synchronous);
 * {@link assertRecurringPayload} checks it at startup, before schedules are written.
 */
export function validateJobDefinition(
  definition: JobDefinition<unknown>,
  payloadMaxBytes: number,
): CronSchedule | undefined {
  const name = definition.name;
  const nameProblem = jobNameProblem(name);
  if (nameProblem !== undefined) throw new JobDefinitionError(String(name), 'name', nameProblem);
  const fail = (field: string, message: string): never => {
    throw new JobDefinitionError(name, field, message);
  };
  if (typeof definition.run !== 'function') fail('run', 'must be a function (the handler).');
  if (!Number.isInteger(definition.maxAttempts) || definition.maxAttempts < 1) {
    fail('maxAttempts', `must be an integer of at least 1 (the first attempt counts), got ${String(definition.maxAttempts)}.`);
  }
  const priority = priorityProblem(definition.priority);
  if (priority !== undefined) fail('priority', priority);
  const queue = queueNameProblem(definition.queue);
  if (queue !== undefined) fail('queue', queue);
  const timeout = definition.timeoutSeconds;
  if (timeout !== undefined && !(typeof timeout === 'number' && Number.isFinite(timeout) && timeout > 0)) {
    fail('timeoutSeconds', `must be a number of seconds greater than 0, or unset for no timeout; got ${String(timeout)}.`);
  }
  validateRetry(definition, fail);
  validateSchema(definition, fail);
  if (definition.recurring === undefined) return undefined;
  const schedule = parseRecurring(definition);
  assertRecurringPayloadSync(definition, payloadMaxBytes);
  return schedule;
}

type Fail = (field: string, message: string) => never;

function validateRetry(definition: JobDefinition<unknown>, fail: Fail): void {
  const retry = definition.retry as { mode?: unknown; initialDelaySeconds?: unknown } | undefined;
  if (retry === undefined || retry === null) return;
  if (retry.mode !== 'fixed' && retry.mode !== 'backoff') {
    fail('retry.mode', `must be "fixed" or "backoff", got ${JSON.stringify(retry.mode)}.`);
  }
  const delay = retry.initialDelaySeconds;
  if (delay !== undefined && !(typeof delay === 'number' && Number.isFinite(delay) && delay >= 0)) {
    fail('retry.initialDelaySeconds', `must be a number of seconds ≥ 0 (0 or unset uses the global retryDelay), got ${String(delay)}.`);
  }
}

function validateSchema(definition: JobDefinition<unknown>, fail: Fail): void {
  const schema = definition.schema as { '~standard'?: { validate?: unknown } } | undefined;
  if (schema === undefined) return;
  if (typeof schema?.['~standard']?.validate !== 'function') {
    fail('schema', 'must be a Standard Schema (zod, valibot, arktype, …): an object with ["~standard"].validate.');
  }
}

function parseRecurring(definition: JobDefinition<unknown>): CronSchedule {
  const recurring = definition.recurring!;
  for (const flag of ['enabled', 'allowConcurrentRuns'] as const) {
    if (typeof recurring[flag] !== 'boolean') {
      throw new JobDefinitionError(definition.name, `recurring.${flag}`, `must be true or false, got ${String(recurring[flag])}.`);
    }
  }
  try {
    return parseSchedule({ cron: recurring.cron, timeZone: recurring.timeZone });
  } catch (error) {
    if (!(error instanceof ScheduleError)) throw error;
    const field = error.field === 'timeZone' ? 'recurring.timeZone' : 'recurring.cron';
    throw new JobDefinitionError(definition.name, field, error.message);
  }
}

/** JSON rules, size, and the schema when it answers synchronously. */
function assertRecurringPayloadSync(definition: JobDefinition<unknown>, payloadMaxBytes: number): void {
  const payload = definition.recurring!.payload;
  serializeRecurringPayload(definition, payloadMaxBytes);
  if (definition.schema === undefined) return;
  const result = definition.schema['~standard'].validate(payload);
  if (result instanceof Promise) {
    // Checked by assertRecurringPayload at startup; don't leave a rejection unhandled meanwhile.
    result.catch(() => undefined);
    return;
  }
  if (result.issues !== undefined) throw recurringPayloadError(definition, payloadIssuesError(definition.name, result.issues));
}

/**
 * Checks a recurring job's payload completely (JSON rules, size, and the schema, awaited) and
 * returns its JSON text. Throws `JobDefinitionError` with field `recurring.payload`.
 */
export async function assertRecurringPayload(definition: JobDefinition<unknown>, payloadMaxBytes: number): Promise<string> {
  const json = serializeRecurringPayload(definition, payloadMaxBytes);
  if (definition.schema === undefined) return json;
  const result = await definition.schema['~standard'].validate(definition.recurring?.payload);
  if (result.issues !== undefined) throw recurringPayloadError(definition, payloadIssuesError(definition.name, result.issues));
  return json;
}

function serializeRecurringPayload(definition: JobDefinition<unknown>, payloadMaxBytes: number): string {
  try {
    return serializePayload(definition.name, definition.recurring?.payload, { maxBytes: payloadMaxBytes });
  } catch (error) {
    if (!DurablyError.isInstance(error)) throw error;
    throw recurringPayloadError(definition, error);
  }
}

function recurringPayloadError(definition: JobDefinition<unknown>, cause: DurablyError): JobDefinitionError {
  const missing = definition.recurring?.payload === undefined;
  const hint = missing
    ? 'the job has a schema that rejects an empty payload, so set `recurring.payload` to the value every run receives: '
    : '';
  return new JobDefinitionError(definition.name, 'recurring.payload', `${hint}${cause.message}`);
}
