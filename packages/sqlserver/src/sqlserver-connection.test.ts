import { describe, expect, it } from 'vitest';
import { parseSqlServerConnectionString } from './sqlserver-connection.js';

describe('parseSqlServerConnectionString', () => {
  it('reads a URL with encoded credentials and flags', () => {
    expect(
      parseSqlServerConnectionString(
        'mssql://app%40corp:p%3Ass@db.local:14330/jobs?encrypt=false&trustServerCertificate=true',
      ),
    ).toEqual({
      server: 'db.local',
      authentication: { type: 'default', options: { userName: 'app@corp', password: 'p:ss' } },
      options: { port: 14330, database: 'jobs', encrypt: false, trustServerCertificate: true, useUTC: true },
    });
  });

  it('reads ADO.NET keywords, with secure defaults', () => {
    expect(
      parseSqlServerConnectionString(
        'Server=tcp:db.local,1444;Initial Catalog=jobs;User Id=sa;Password=a=b;',
      ),
    ).toEqual({
      server: 'db.local',
      authentication: { type: 'default', options: { userName: 'sa', password: 'a=b' } },
      options: { port: 1444, database: 'jobs', encrypt: true, trustServerCertificate: false, useUTC: true },
    });
  });

  it('refuses a string without a server and a flag that is not a boolean', () => {
    expect(() => parseSqlServerConnectionString('Database=jobs')).toThrow(/no server/);
    expect(() => parseSqlServerConnectionString('Server=x;Encrypt=maybe')).toThrow(/Encrypt="maybe"/);
  });
});
