import { ConfigurationError } from '@durably/core';
import { describe, expect, it } from 'vitest';
import { createTableNames } from './table-names.js';

describe('createTableNames', () => {
  it('prefixes every object and qualifies tables with the schema', () => {
    const names = createTableNames({ tablePrefix: 'app_', schema: 'jobs' });
    expect(names.runs).toBe('jobs.app_durably_runs');
    expect(names.attempts).toBe('jobs.app_durably_attempts');
    expect(names.migrations).toBe('app_durably_migrations');
    expect(names.objectName('runs_claim_idx')).toBe('app_durably_runs_claim_idx');
    expect(createTableNames({}).runs).toBe('durably_runs');
  });

  it.each(['x"; drop table y; --', "a'b", 'a b', 'a.b', '1abc', 'a-b', 'é'])(
    'refuses the prefix %j',
    (tablePrefix) => {
      expect(() => createTableNames({ tablePrefix })).toThrow(ConfigurationError);
    },
  );

  it('refuses a schema with metacharacters and a prefix longer than 24 characters', () => {
    expect(() => createTableNames({ schema: 'public; drop schema x' })).toThrow(/schema/);
    expect(() => createTableNames({ tablePrefix: 'a'.repeat(25) })).toThrow(/at most 24/);
    expect(createTableNames({ tablePrefix: 'a'.repeat(24) }).prefix).toHaveLength(24);
  });
});
