import { StoreUnavailableError } from '@durably/core';
import { describe, expect, it } from 'vitest';
import { createSqlServerStore } from './sqlserver-store.js';

describe('sqlserver store: options (no server needed)', () => {
  it('refuses a table prefix or schema that is not a plain identifier, before opening anything', () => {
    expect(() =>
      createSqlServerStore({
        connectionString: 'mssql://sa:x@127.0.0.1/db',
        tablePrefix: 'x]; drop table y; --',
      }),
    ).toThrow(/tablePrefix/);
    expect(() =>
      createSqlServerStore({ connectionString: 'mssql://sa:x@127.0.0.1/db', schema: 'dbo.x' }),
    ).toThrow(/schema/);
  });

  it('asks for a connection string or a config, and a positive pool size', () => {
    expect(() => createSqlServerStore({})).toThrow(/connectionString/);
    expect(() =>
      createSqlServerStore({ connectionString: 'mssql://sa:x@127.0.0.1/db', maxConnections: 0 }),
    ).toThrow(/maxConnections/);
  });

  it('reports an unreachable server as StoreUnavailableError', async () => {
    const store = createSqlServerStore({ connectionString: 'mssql://sa:x@127.0.0.1:1/master?encrypt=false' });
    try {
      await expect(store.migrate()).rejects.toBeInstanceOf(StoreUnavailableError);
    } finally {
      await store.close();
    }
  }, 20_000);
});
