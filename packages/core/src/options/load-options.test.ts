import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigurationError } from '../errors.js';
import { describeOptions } from './describe-options.js';
import { loadOptions, type OptionSources } from './load-options.js';

const dir = mkdtempSync(join(tmpdir(), 'durably-options-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let fileCount = 0;

function jsonFile(content: unknown): string {
  fileCount += 1;
  const file = join(dir, `options-${fileCount}.json`);
  writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content));
  return file;
}

function errorOf(sources: OptionSources): ConfigurationError {
  try {
    loadOptions(sources);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigurationError);
    return error as ConfigurationError;
  }
  throw new Error('expected loadOptions to throw');
}

describe('loadOptions from the environment', () => {
  it('reads each type by the option it names', () => {
    const options = loadOptions({
      env: {
        DURABLY_POLL_INTERVAL_SECONDS: '2',
        DURABLY_POLL_JITTER_ENABLED: 'false',
        DURABLY_RETRY_JITTER_ENABLED: '1',
        DURABLY_RETRY_JITTER_RATIO: '0.5',
        DURABLY_RETRY_DELAY: '00:00:10',
        DURABLY_RETRY_MAX_DELAY: '1500',
        DURABLY_RETENTION_RUN_RETENTION_SECONDS: '604800',
        DURABLY_RETENTION_ENABLED: 'TRUE',
        DURABLY_RECURRING_REGISTRATION_SYNC_EXISTING_JOB_BEHAVIOR: 'UpdateFromCode',
        DURABLY_STORAGE_PROVIDER: 'postgres',
        DURABLY_POSTGRES_CONNECTION_STRING: 'postgres://db/app',
        DURABLY_MYSQL_CONNECTION_STRING: 'mysql://db/app',
        DURABLY_QUEUES: 'emails, reports,,',
        DURABLY_TABLE_PREFIX: 'app_',
        DURABLY_LOGS_MAX_LINES_PER_RUN: '10',
      },
    });
    expect(options).toMatchObject({
      pollIntervalSeconds: 2,
      pollJitterEnabled: false,
      retryJitterEnabled: true,
      retryJitterRatio: 0.5,
      retryDelayMs: 10_000,
      retryMaxDelayMs: 1_500,
      retention: { runRetentionSeconds: 604_800, enabled: true },
      recurring: { registrationSync: { existingJobBehavior: 'update-from-code' } },
      storageProvider: 'postgres',
      postgres: { connectionString: 'postgres://db/app' },
      mySql: { connectionString: 'mysql://db/app' },
      queues: ['emails', 'reports'],
      tablePrefix: 'app_',
      logs: { maxLinesPerRun: 10 },
    });
  });

  it('ignores other variables, empty DURABLY_ values and the allow-listed names', () => {
    const options = loadOptions({
      env: {
        PATH: '/usr/bin',
        DURABLY_BATCH_SIZE: '',
        DURABLY_DATABASE_URL: 'postgres://x',
        DURABLY_ADMIN_TOKEN: 'a-dashboard-token-for-the-cli',
        DURABLY_TEST_PG_URL: 'postgres://y',
        DURABLY_BENCH_POSTGRES_URL: 'postgres://z',
      },
    });
    expect(options.batchSize).toBe(50);
  });

  it('rejects an unknown DURABLY_ variable, naming it and suggesting the right one', () => {
    const error = errorOf({ env: { DURABLY_POLL_INTERVAL: '3' } });
    expect(error.key).toBe('DURABLY_POLL_INTERVAL');
    expect(error.message).toContain('did you mean DURABLY_POLL_INTERVAL_SECONDS?');
  });

  it.each([
    ['DURABLY_POLL_JITTER_ENABLED', 'yes', 'pollJitterEnabled'],
    ['DURABLY_BATCH_SIZE', 'lots', 'batchSize'],
    ['DURABLY_BATCH_SIZE', '2.5', 'batchSize'],
    ['DURABLY_RETRY_DELAY', 'soon', 'retryDelay'],
    ['DURABLY_WORKER_MODE', 'everything', 'workerMode'],
    ['DURABLY_TABLE_PREFIX', 'x; drop table y', 'tablePrefix'],
  ])('rejects %s=%j naming the option and the variable', (name, value, key) => {
    const error = errorOf({ env: { [name]: value } });
    expect(error.key).toBe(key);
    expect(error.message).toContain(name);
  });

  it('applies the reset rule to environment values', () => {
    expect(loadOptions({ env: { DURABLY_LEASE_DURATION_SECONDS: '0' } }).leaseDurationSeconds).toBe(30);
  });

  it('never reads process.env unless it is passed', () => {
    process.env.DURABLY_BATCH_SIZE = '7';
    process.env.DURABLY_NOT_AN_OPTION = '1';
    try {
      expect(loadOptions().batchSize).toBe(50);
      expect(loadOptions({ object: { maxConcurrentRuns: 2 } }).batchSize).toBe(50);
    } finally {
      delete process.env.DURABLY_BATCH_SIZE;
      delete process.env.DURABLY_NOT_AN_OPTION;
    }
  });
});

describe('loadOptions from a JSON file', () => {
  it('reads a plain camelCase options object', () => {
    const file = jsonFile({ batchSize: 20, retention: { sweepIntervalSeconds: 60 } });
    const options = loadOptions({ jsonFile: file });
    expect(options.batchSize).toBe(20);
    expect(options.retention.sweepIntervalSeconds).toBe(60);
  });

  it('reads the reference example wrapped in "Durably", with PascalCase keys and enum values', () => {
    const file = jsonFile({
      Logging: { LogLevel: { Default: 'Information' } },
      Durably: {
        StorageProvider: 'Postgres',
        WorkerName: 'orders-api-1',
        DatabaseTablePrefix: 'prod_',
        PollIntervalSeconds: 5,
        BatchSize: 40,
        LeaseDurationSeconds: 45,
        RetryDelay: '00:00:05',
        RetryMaxDelay: '01:00:00',
        PollJitterEnabled: true,
        RetryJitterEnabled: 'true',
        JobActivation: 'ScopedPerExecution',
        Postgres: { ConnectionString: 'Host=localhost;Database=durable' },
        Recurring: {
          CatchUpPolicy: 'SkipMissed',
          RegistrationSync: { ExistingJobBehavior: 'KeepDatabase', OrphanedJobBehavior: 'Ignore' },
        },
        Retention: {
          Enabled: true,
          RunRetentionSeconds: 86400,
          SweepIntervalSeconds: '0',
          DeleteBatchSize: 500,
        },
        Eventing: { IngestionPath: '/v2/events', MaxErrorDetailLength: 100, IncludeErrorDetail: false },
      },
    });
    const options = loadOptions({ jsonFile: file, requireConnection: true });
    expect(options).toMatchObject({
      storageProvider: 'postgres',
      workerName: 'orders-api-1',
      tablePrefix: 'prod_',
      batchSize: 40,
      leaseDurationSeconds: 45,
      retryDelayMs: 5_000,
      retryMaxDelayMs: 3_600_000,
      retryJitterEnabled: true,
      postgres: { connectionString: 'Host=localhost;Database=durable' },
      recurring: { registrationSync: { orphanedJobBehavior: 'ignore' } },
      retention: { runRetentionSeconds: 86_400, sweepIntervalSeconds: 300, deleteBatchSize: 500 },
      eventing: { ingestionPath: '/v2/events', maxErrorDetailLength: 100 },
    });
  });

  it('accepts a lower-case "durably" wrapper and a byte-order mark', () => {
    const file = jsonFile(`\uFEFF${JSON.stringify({ durably: { maxConcurrentRuns: 9 } })}`);
    expect(loadOptions({ jsonFile: file }).maxConcurrentRuns).toBe(9);
  });

  it('rejects an unknown key in the file, naming the file', () => {
    const file = jsonFile({ Durably: { PollIntervalSecs: 5 } });
    const error = errorOf({ jsonFile: file });
    expect(error.key).toBe('PollIntervalSecs');
    expect(error.message).toContain('did you mean `pollIntervalSeconds`?');
    expect(error.message).toContain(file);
  });

  it('rejects the reference JobRegistration section', () => {
    const file = jsonFile({ Durably: { JobRegistration: { AutoDiscoverJobsFromAssembly: true } } });
    expect(errorOf({ jsonFile: file }).message).toMatch(/list your job definitions explicitly in `jobs`/);
  });

  it('rejects a bad value in the file, naming the option and the file', () => {
    const file = jsonFile({ Durably: { Retention: { DeleteBatchSize: 'many' } } });
    const error = errorOf({ jsonFile: file });
    expect(error.key).toBe('retention.deleteBatchSize');
    expect(error.message).toContain(file);
  });

  it('reports a missing file and invalid JSON under the key jsonFile', () => {
    expect(errorOf({ jsonFile: join(dir, 'missing.json') }).message).toMatch(/ENOENT/);
    expect(errorOf({ jsonFile: jsonFile('{ "batchSize": ') }).key).toBe('jsonFile');
    expect(errorOf({ jsonFile: jsonFile('[1, 2]') }).key).toBe('jsonFile');
  });
});

describe('loadOptions precedence: defaults < JSON file < environment < object', () => {
  const file = jsonFile({
    batchSize: 10,
    maxConcurrentRuns: 10,
    leaseDurationSeconds: 10,
    tablePrefix: 'file_',
  });
  const env = { DURABLY_MAX_CONCURRENT_RUNS: '20', DURABLY_LEASE_DURATION_SECONDS: '20' };

  it('lets each source override the ones before it, leaf by leaf', () => {
    const options = loadOptions({ jsonFile: file, env, object: { leaseDurationSeconds: 40 } });
    expect(options.pollIntervalSeconds).toBe(5); // default
    expect(options.batchSize).toBe(10); // file
    expect(options.maxConcurrentRuns).toBe(20); // env over file
    expect(options.leaseDurationSeconds).toBe(40); // code over env and file
    expect(options.tablePrefix).toBe('file_');
  });

  it('merges nested groups instead of replacing them', () => {
    const nested = jsonFile({ Retention: { DeleteBatchSize: 5, SweepIntervalSeconds: 6 } });
    const options = loadOptions({ jsonFile: nested, object: { retention: { deleteBatchSize: 7 } } });
    expect(options.retention).toMatchObject({ deleteBatchSize: 7, sweepIntervalSeconds: 6 });
  });

  it('does not let undefined or null in code erase a lower source', () => {
    const options = loadOptions({ jsonFile: file, object: { batchSize: undefined, tablePrefix: null } });
    expect(options.batchSize).toBe(10);
    expect(options.tablePrefix).toBe('file_');
  });

  it('checks cross-option rules on the merged result', () => {
    const credentials = jsonFile({ Eventing: { TenantId: 't', ClientSecret: 's' } });
    const options = loadOptions({
      jsonFile: credentials,
      env: { DURABLY_EVENTING_INGESTION_API_BASE_URL: 'https://ingest.example.com' },
    });
    expect(options.eventing.ingestionEnabled).toBe(true);
    expect(errorOf({ jsonFile: credentials }).key).toBe('eventing.ingestionApiBaseUrl');
  });

  it('requires the connection string only when asked, wherever it comes from', () => {
    expect(errorOf({ env: { DURABLY_STORAGE_PROVIDER: 'sqlite' }, requireConnection: true }).key).toBe(
      'sqlite.connectionString',
    );
    const options = loadOptions({
      env: { DURABLY_STORAGE_PROVIDER: 'sqlite', DURABLY_SQLITE_CONNECTION_STRING: 'jobs.db' },
      requireConnection: true,
    });
    expect(options.sqlite.connectionString).toBe('jobs.db');
  });

  it('names the options object when code holds the bad value', () => {
    expect(errorOf({ object: { batchSize: -1 } }).message).toContain('the options object');
  });
});

describe('describeOptions', () => {
  const rows = describeOptions();

  it('lists every option once with its environment variable and default', () => {
    const keys = rows.map((row) => row.key);
    expect(new Set(keys).size).toBe(keys.length);
    expect(rows.find((row) => row.key === 'pollIntervalSeconds')).toMatchObject({
      env: 'DURABLY_POLL_INTERVAL_SECONDS',
      default: '5',
      referenceName: 'PollIntervalSeconds',
    });
    expect(rows.find((row) => row.key === 'tablePrefix')?.referenceName).toBe('DatabaseTablePrefix');
    expect(rows.find((row) => row.key === 'retryMaxDelay')?.default).toBe('1h');
    expect(rows.find((row) => row.key === 'recurring.registrationSync.existingJobBehavior')).toMatchObject({
      env: 'DURABLY_RECURRING_REGISTRATION_SYNC_EXISTING_JOB_BEHAVIOR',
      values: ['keep-database', 'update-from-code'],
    });
    expect(rows.find((row) => row.key === 'retention.runRetentionSeconds')?.env).toBe(
      'DURABLY_RETENTION_RUN_RETENTION_SECONDS',
    );
  });

  it('gives every option a description and an environment variable that loadOptions accepts', () => {
    for (const row of rows) {
      expect(row.description.length).toBeGreaterThan(10);
      expect(row.env).toMatch(/^DURABLY_[A-Z0-9_]+$/);
    }
    const env = Object.fromEntries(rows.map((row) => [row.env, '']));
    expect(() => loadOptions({ env })).not.toThrow();
  });

  it('covers every key of the reference configuration schema except job discovery', () => {
    const referenceNames = new Set(rows.map((row) => row.referenceName));
    for (const name of [
      'StorageProvider',
      'WorkerName',
      'DatabaseTablePrefix',
      'PollIntervalSeconds',
      'PollJitterEnabled',
      'PollJitterRatio',
      'BatchSize',
      'MaxConcurrentRuns',
      'LeaseDurationSeconds',
      'RetryDelay',
      'RetryMaxDelay',
      'RetryJitterEnabled',
      'RetryJitterRatio',
      'JobActivation',
      'Postgres.ConnectionString',
      'SqlServer.ConnectionString',
      'Sqlite.ConnectionString',
      'MySql.ConnectionString',
      'Recurring.CatchUpPolicy',
      'Recurring.RegistrationSync.ExistingJobBehavior',
      'Recurring.RegistrationSync.OrphanedJobBehavior',
      'Retention.Enabled',
      'Retention.RunRetentionSeconds',
      'Retention.SweepIntervalSeconds',
      'Retention.DeleteBatchSize',
      'Eventing.TenantId',
      'Eventing.ClientSecret',
      'Eventing.IngestionApiBaseUrl',
      'Eventing.IngestionPath',
      'Eventing.IngestionMaxBatchSize',
      'Eventing.IngestionMaxRequestBodyBytes',
      'Eventing.IngestionMaxRetryAttempts',
      'Eventing.IngestionFlushIntervalSeconds',
      'Eventing.IncludeErrorDetail',
      'Eventing.MaxErrorDetailLength',
    ]) {
      expect(referenceNames, name).toContain(name);
    }
  });
});

describe('loadOptions hardening', () => {
  it('treats a "__proto__" key in a file as an unknown option instead of re-parenting objects', () => {
    const file = jsonFile('{ "__proto__": { "batchSize": 1 } }');
    expect(errorOf({ jsonFile: file }).key).toBe('__proto__');
  });

  it('marks secrets so the reference printer can hide their values', () => {
    const secrets = describeOptions()
      .filter((row) => row.secret)
      .map((row) => row.key);
    expect(secrets).toEqual(
      expect.arrayContaining([
        'postgres.connectionString',
        'mySql.connectionString',
        'eventing.clientSecret',
      ]),
    );
    expect(secrets).not.toContain('batchSize');
  });
});
