import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigurationError } from '@durably/core';
import { describe, expect, it } from 'vitest';
import { createStoreFromUrl, parseDatabaseUrl, redact } from './create-store-from-url.js';

describe('parseDatabaseUrl', () => {
  it('uses the default SQLite file when no URL is set, relative to cwd', () => {
    expect(parseDatabaseUrl(undefined, { defaultSqliteFile: 'data/x.db', cwd: '/app' })).toEqual({
      provider: 'sqlite',
      filename: '/app/data/x.db',
    });
    expect(parseDatabaseUrl('  ', { defaultSqliteFile: '/abs/x.db' })).toEqual({
      provider: 'sqlite',
      filename: '/abs/x.db',
    });
  });

  it.each([
    ['sqlite:./data/jobs.db', '/app/data/jobs.db'],
    ['sqlite:jobs.db', '/app/jobs.db'],
    ['sqlite:///var/lib/jobs.db', '/var/lib/jobs.db'],
    ['sqlite:/var/lib/jobs.db', '/var/lib/jobs.db'],
    ['file:/tmp/a%20b.db', '/tmp/a b.db'],
  ])('reads %s as the SQLite file %s', (url, filename) => {
    expect(parseDatabaseUrl(url, { cwd: '/app' })).toEqual({ provider: 'sqlite', filename });
  });

  it('reads postgres URLs and takes ?schema= out of the driver string', () => {
    expect(parseDatabaseUrl('postgres://u:p@db:5432/app?schema=jobs&sslmode=disable')).toEqual({
      provider: 'postgres',
      connectionString: 'postgres://u:p@db:5432/app?sslmode=disable',
      schema: 'jobs',
    });
    expect(parseDatabaseUrl('postgresql://db/app')).toMatchObject({
      provider: 'postgres',
      schema: undefined,
    });
  });

  it('reads mysql and mariadb URLs', () => {
    expect(parseDatabaseUrl('mariadb://root@127.0.0.1:3306/test')).toEqual({
      provider: 'mysql',
      connectionString: 'mysql://root@127.0.0.1:3306/test',
    });
  });

  it.each([
    [undefined, /no database URL is set/],
    ['redis://localhost:6379', /the scheme "redis:" is not supported/],
    ['just-a-path.db', /has no scheme/],
    ['sqlite:', /names no file/],
    ['postgres://', /names no host|not a valid URL/],
  ])('refuses %s naming the source and the accepted forms', (url, problem) => {
    let error: unknown;
    try {
      parseDatabaseUrl(url, { source: '--database-url' });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigurationError);
    const message = (error as Error).message;
    expect(message).toMatch(problem);
    expect(message).toContain('--database-url');
    expect(message).toContain('sqlite:<path>');
    expect(message).toContain('postgres://');
  });

  it('never echoes a password', () => {
    expect(redact('postgres://user:secret@host/db')).toBe('postgres://user:***@host/db');
    expect(() => parseDatabaseUrl('postgres://user:secret@')).toThrow(/^(?!.*secret)/s);
  });
});

describe('createStoreFromUrl', () => {
  it('opens a working SQLite store with a table prefix', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'durably-url-'));
    try {
      const store = await createStoreFromUrl(`sqlite:${join(dir, 'x.db')}`, { tablePrefix: 'app_' });
      await store.migrate();
      expect(store.provider).toBe('sqlite');
      expect(await store.runCountByStatus({})).toMatchObject({ pending: 0 });
      await store.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
