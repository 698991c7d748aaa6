import { defineJob, NonRetryableError, type JobConfig } from '@durably/core';

/** A hand-written Standard Schema: `{ name: string }` (no validation library needed for a test). */
const greetingSchema: NonNullable<JobConfig<{ name: string }>['schema']> = {
  '~standard': {
    version: 1,
    vendor: 'cli-test',
    validate(value) {
      const name = (value as { name?: unknown } | null)?.name;
      if (typeof value !== 'object' || value === null || typeof name !== 'string') {
        return { issues: [{ message: 'name must be a string', path: ['name'] }] };
      }
      return { value: { name } };
    },
  },
};

export const greet = defineJob({
  name: 'test.greet',
  schema: greetingSchema,
  run(payload, ctx) {
    ctx.log(`hello ${payload.name}`);
  },
});

export const nightly = defineJob({
  name: 'test.nightly',
  recurring: { cron: '0 3 * * *', timeZone: 'Europe/Berlin' },
  run() {},
});

/** Fails at once, so `runs show` has an error and a failed attempt to print. */
export const refuse = defineJob({
  name: 'test.refuse',
  run(_payload, ctx) {
    ctx.log('checking the order', 'warn');
    throw new NonRetryableError('order was already refunded');
  },
});

/** The config module the CLI tests load with `--config`. */
export const jobs = [greet, nightly, refuse];
export const options = { pollIntervalSeconds: 1, shutdownGraceSeconds: 5 };
