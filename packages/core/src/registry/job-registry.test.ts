import type { StandardSchemaV1 } from '@standard-schema/spec';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { JobDefinitionError, UnknownJobError } from '../errors.js';
import { defineJob, type JobDefinition } from '../job-definition.js';
import { createJobRegistry, type AnyJobDefinition } from './job-registry.js';

const run = () => undefined;

/** A definition with one field overwritten, as a hand-written or mistyped definition would be. */
function withField(field: string, value: unknown, base: AnyJobDefinition = defineJob({ name: 'job.a', run })) {
  const copy = structuredClone({ ...base, run: undefined, schema: undefined }) as Record<string, unknown>;
  copy.run = base.run;
  copy.schema = base.schema;
  const path = field.split('.');
  let target = copy;
  for (const key of path.slice(0, -1)) target = target[key] as Record<string, unknown>;
  target[path.at(-1)!] = value;
  return copy as unknown as JobDefinition<unknown>;
}

function definitionError(jobs: unknown[]): JobDefinitionError {
  try {
    createJobRegistry(jobs as JobDefinition<unknown>[]);
  } catch (error) {
    expect(error).toBeInstanceOf(JobDefinitionError);
    return error as JobDefinitionError;
  }
  throw new Error('expected a JobDefinitionError');
}

describe('createJobRegistry', () => {
  const nightly = defineJob({ name: 'reports.nightly', recurring: { cron: '0 3 * * *', timeZone: 'Europe/Berlin' }, run });
  const welcome = defineJob<{ userId: string }>({ name: 'email.welcome', run });

  it('indexes definitions and pre-parses schedules', () => {
    const registry = createJobRegistry([welcome, nightly]);
    expect(registry.names).toEqual(['email.welcome', 'reports.nightly']);
    expect(registry.get('email.welcome')).toBe(welcome);
    expect(registry.require('reports.nightly')).toBe(nightly);
    expect(registry.recurring).toEqual([nightly]);
    expect(registry.all).toEqual([welcome, nightly]);
    expect(registry.schedule('reports.nightly')?.timeZone).toBe('Europe/Berlin');
    expect(registry.schedule('email.welcome')).toBeUndefined();
    expect(registry.get('nope')).toBeUndefined();
    expect(() => registry.require('nope')).toThrow(UnknownJobError);
  });

  it('rejects duplicate names, naming both entries', () => {
    const other = defineJob({ name: 'email.welcome', run });
    const error = definitionError([welcome, nightly, other]);
    expect(error.field).toBe('name');
    expect(error.jobName).toBe('email.welcome');
    expect(error.message).toMatch(/jobs\[0\] and jobs\[2\]/);
    expect(definitionError([welcome, welcome]).message).toMatch(/listed twice/);
  });

  it.each([
    ['empty name', 'name', ''],
    ['untrimmed name', 'name', ' job '],
    ['long name', 'name', 'x'.repeat(201)],
    ['control character', 'name', 'a\nb'],
    ['non-string name', 'name', 42],
    ['maxAttempts 0', 'maxAttempts', 0],
    ['maxAttempts fraction', 'maxAttempts', 1.5],
    ['priority fraction', 'priority', 0.5],
    ['priority beyond 32 bits', 'priority', 2 ** 31],
    ['empty queue', 'queue', ''],
    ['queue with spaces', 'queue', 'my queue'],
    ['timeout 0', 'timeoutSeconds', 0],
    ['timeout NaN', 'timeoutSeconds', Number.NaN],
    ['retry mode', 'retry.mode', 'linear'],
    ['negative retry delay', 'retry.initialDelaySeconds', -1],
    ['run not a function', 'run', 'handler'],
    ['schema not standard', 'schema', { parse: () => 1 }],
  ])('rejects %s', (_label, field, value) => {
    const error = definitionError([withField(field, value)]);
    expect(error.field).toBe(field);
    expect(error.code).toBe('invalid_job_definition');
  });

  it('accepts a 200-character name and a dotted queue', () => {
    expect(() => createJobRegistry([withField('name', 'x'.repeat(200)), withField('queue', 'emails.bulk-1', welcome)])).not.toThrow();
  });

  it('reports bad cron and zone as recurring.cron / recurring.timeZone', () => {
    const badCron = defineJob({ name: 'bad.cron', recurring: { cron: '61 * * * *' }, run });
    expect(definitionError([badCron]).field).toBe('recurring.cron');
    const windowsZone = defineJob({ name: 'bad.zone', recurring: { cron: '0 3 * * *', timeZone: 'Eastern Standard Time' }, run });
    const error = definitionError([windowsZone]);
    expect(error.field).toBe('recurring.timeZone');
    expect(error.message).toMatch(/America\/New_York/);
  });

  it('requires a valid recurring payload when the job has a schema', () => {
    const schema = z.object({ region: z.string() });
    const missing = defineJob({ name: 'sync.region', schema, recurring: { cron: '@hourly' }, run });
    const error = definitionError([missing]);
    expect(error.field).toBe('recurring.payload');
    expect(error.message).toMatch(/set `recurring.payload`/);
    const wrong = defineJob({ name: 'sync.region', schema, recurring: { cron: '@hourly', payload: { region: 1 as unknown as string } }, run });
    expect(definitionError([wrong]).field).toBe('recurring.payload');
    const right = defineJob({ name: 'sync.region', schema, recurring: { cron: '@hourly', payload: { region: 'eu' } }, run });
    expect(createJobRegistry([right]).recurring).toHaveLength(1);
  });

  it('applies the JSON rules and size limit to recurring payloads', () => {
    const withDate = defineJob<{ at: Date }>({ name: 'dated', recurring: { cron: '@daily', payload: { at: new Date() } }, run });
    const error = definitionError([withDate]);
    expect(error.field).toBe('recurring.payload');
    expect(error.message).toMatch(/\$\.at.*ISO string/);
    const big = defineJob<string>({ name: 'big', recurring: { cron: '@daily', payload: 'x'.repeat(100) }, run });
    expect(() => createJobRegistry([big], { payloadMaxBytes: 50 })).toThrow(/recurring.payload/);
  });

  it('defers asynchronous schemas without an unhandled rejection', () => {
    const schema: StandardSchemaV1<unknown, string> = {
      '~standard': { version: 1, vendor: 'test', validate: async () => ({ issues: [{ message: 'no' }] }) },
    };
    const job = defineJob({ name: 'async.schema', schema, recurring: { cron: '@daily', payload: 'x' }, run });
    expect(createJobRegistry([job]).recurring).toEqual([job]);
  });

  it('rejects entries that are not definitions', () => {
    const error = definitionError([welcome, undefined]);
    expect(error.jobName).toBe('jobs[1]');
  });
});
