import type { StandardSchemaV1 } from '@standard-schema/spec';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { PayloadError } from '../errors.js';
import { defineJob } from '../job-definition.js';
import { validatePayload } from './validate-payload.js';

const run = () => undefined;

describe('validatePayload', () => {
  it('returns the value unchanged for a job without schema', async () => {
    const job = defineJob<{ a: number }>({ name: 'plain', run });
    const value = { a: 1 };
    await expect(validatePayload(job, value)).resolves.toBe(value);
  });

  it("returns the schema's output", async () => {
    const job = defineJob({ name: 'zod', schema: z.object({ n: z.coerce.number() }), run });
    await expect(validatePayload(job, { n: '42' })).resolves.toEqual({ n: 42 });
  });

  it('lists every issue with its path', async () => {
    const schema = z.object({ userId: z.string(), items: z.array(z.object({ at: z.string() })) });
    const job = defineJob({ name: 'orders.sync', schema, run });
    const error = await validatePayload(job, { userId: 5, items: [{ at: 'x' }, { at: 1 }] }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PayloadError);
    const payloadError = error as PayloadError;
    expect(payloadError.path).toBe('$.userId');
    expect(payloadError.message).toMatch(/2 issues/);
    expect(payloadError.message).toContain('$.userId:');
    expect(payloadError.message).toContain('$.items[1].at:');
  });

  it('awaits asynchronous schemas and reads path segments given as objects', async () => {
    const schema: StandardSchemaV1<unknown, string> = {
      '~standard': {
        version: 1,
        vendor: 'test',
        validate: async (value) =>
          value === 'ok' ? { value: 'ok' } : { issues: [{ message: 'must be ok', path: [{ key: 'deep' }, { key: 0 }] }] },
      },
    };
    const job = defineJob({ name: 'async', schema, run });
    await expect(validatePayload(job, 'ok')).resolves.toBe('ok');
    const error = (await validatePayload(job, 'no').catch((e: unknown) => e)) as PayloadError;
    expect(error.path).toBe('$.deep[0]');
    expect(error.message).toMatch(/must be ok/);
  });
});
