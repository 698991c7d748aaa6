import { ConfigurationError } from '@durably/core';
import type { ConnectionConfiguration } from 'tedious';

/**
 * Turns a connection string into a tedious configuration. Two forms:
 * - a URL: `mssql://user:password@host:1433/database?encrypt=true&trustServerCertificate=true`
 *   (`sqlserver://` also works);
 * - ADO.NET keywords: `Server=host,1433;Database=app;User Id=sa;Password=…;Encrypt=true;TrustServerCertificate=true`.
 * SQL Server authentication (user and password). Defaults: port 1433, `encrypt` true, the server
 * certificate verified (`trustServerCertificate` false). `useUTC` is always on: times are UTC.
 */
export function parseSqlServerConnectionString(connectionString: string): ConnectionConfiguration {
  const parts = /^(mssql|sqlserver):\/\//i.test(connectionString)
    ? fromUrl(connectionString)
    : fromKeywords(connectionString);
  if (!parts.server) {
    throw new ConfigurationError(
      'connectionString',
      'names no server. Use "mssql://user:password@host:1433/database".',
    );
  }
  return {
    server: parts.server,
    authentication: {
      type: 'default',
      options: { userName: parts.user ?? '', password: parts.password ?? '' },
    },
    options: {
      port: parts.port ?? 1433,
      ...(parts.database ? { database: parts.database } : {}),
      encrypt: parts.encrypt ?? true,
      trustServerCertificate: parts.trustServerCertificate ?? false,
      useUTC: true,
    },
  };
}

interface Parts {
  server?: string;
  port?: number;
  database?: string;
  user?: string;
  password?: string;
  encrypt?: boolean;
  trustServerCertificate?: boolean;
}

function fromUrl(text: string): Parts {
  const url = new URL(text);
  const flag = (name: string) => {
    const value = url.searchParams.get(name);
    return value === null ? undefined : parseFlag(name, value);
  };
  return {
    server: url.hostname,
    port: url.port ? Number(url.port) : undefined,
    database: decodeURIComponent(url.pathname.replace(/^\//, '')) || undefined,
    user: url.username ? decodeURIComponent(url.username) : undefined,
    password: url.password ? decodeURIComponent(url.password) : undefined,
    encrypt: flag('encrypt'),
    trustServerCertificate: flag('trustServerCertificate'),
  };
}

function fromKeywords(text: string): Parts {
  const parts: Parts = {};
  for (const pair of text.split(';')) {
    const at = pair.indexOf('=');
    if (at < 0) continue;
    const key = pair.slice(0, at).trim().toLowerCase().replace(/\s+/g, ' ');
    const value = pair.slice(at + 1).trim();
    if (key === 'server' || key === 'data source' || key === 'address') {
      const [host, port] = value.replace(/^tcp:/i, '').split(',');
      parts.server = host!.trim();
      if (port) parts.port = Number(port);
    } else if (key === 'database' || key === 'initial catalog') parts.database = value;
    else if (key === 'user id' || key === 'uid' || key === 'user') parts.user = value;
    else if (key === 'password' || key === 'pwd') parts.password = value;
    else if (key === 'encrypt') parts.encrypt = parseFlag('Encrypt', value);
    else if (key === 'trustservercertificate')
      parts.trustServerCertificate = parseFlag('TrustServerCertificate', value);
  }
  return parts;
}

function parseFlag(name: string, value: string): boolean {
  if (/^(true|yes|1)$/i.test(value)) return true;
  if (/^(false|no|0)$/i.test(value)) return false;
  throw new ConfigurationError(
    'connectionString',
    `${name}=${JSON.stringify(value)} is not a boolean; use true or false.`,
  );
}
