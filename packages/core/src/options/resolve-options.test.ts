import { hostname } from 'node:os';
import { describe, expect, it } from 'vitest';
import { ConfigurationError } from '../errors.js';
import type { DurablyOptions } from './durably-options.js';
import { resolveOptions } from './resolve-options.js';

function errorOf(input: unknown, settings?: Parameters<typeof resolveOptions>[1]): ConfigurationError {
  try {
    resolveOptions(input as DurablyOptions, settings);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigurationError);
    return error as ConfigurationError;
  }
  throw new Error('expected resolveOptions to throw');
}

describe('resolveOptions defaults', () => {
  const options = resolveOptions();

  it('fills every top-level default from the reference', () => {
    expect(options).toMatchObject({
      storageProvider: 'memory',
      workerName: `${hostname()}-${process.pid}`,
      tablePrefix: '',
      pollIntervalSeconds: 5,
      pollJitterEnabled: true,
      pollJitterRatio: 0.2,
      batchSize: 50,
      maxConcurrentRuns: 5,
      prefetchRuns: 0,
      leaseDurationSeconds: 30,
      retryDelayMs: 5_000,
      retryMaxDelayMs: 3_600_000,
      retryJitterEnabled: false,
      retryJitterRatio: 0.2,
      jobActivation: 'scoped-per-execution',
    });
  });

  it('leaves connection strings unset', () => {
    for (const group of ['postgres', 'sqlServer', 'sqlite', 'mySql'] as const) {
      expect(options[group].connectionString).toBeUndefined();
    }
  });

  it('fills recurring and retention defaults', () => {
    expect(options.recurring).toEqual({
      catchUpPolicy: 'skip-missed',
      registrationSync: { existingJobBehavior: 'keep-database', orphanedJobBehavior: 'disable' },
    });
    expect(options.retention).toEqual({
      enabled: true,
      runRetentionSeconds: null,
      sweepIntervalSeconds: 300,
      deleteBatchSize: 1000,
    });
  });

  it('fills eventing defaults with no ingestion host', () => {
    expect(options.eventing).toEqual({
      tenantId: undefined,
      clientSecret: undefined,
      ingestionApiBaseUrl: undefined,
      ingestionPath: '/v1/events/batch',
      ingestionMaxBatchSize: 100,
      ingestionMaxRequestBodyBytes: 1_000_000,
      ingestionMaxRetryAttempts: 5,
      ingestionFlushIntervalSeconds: 5,
      includeErrorDetail: false,
      maxErrorDetailLength: 4096,
      ingestionEnabled: false,
    });
  });

  it('fills the Durably additions', () => {
    expect(options).toMatchObject({
      workerMode: 'both',
      queues: undefined,
      payloadMaxBytes: 262_144,
      shutdownGraceSeconds: 30,
      logs: { flushIntervalSeconds: 2, flushBatchSize: 50, maxLinesPerRun: 1000 },
    });
  });

  it('has exactly the documented top-level keys', () => {
    expect(Object.keys(options).sort()).toEqual(
      [
        'storageProvider',
        'workerName',
        'tablePrefix',
        'pollIntervalSeconds',
        'pollJitterEnabled',
        'pollJitterRatio',
        'batchSize',
        'maxConcurrentRuns',
        'prefetchRuns',
        'leaseDurationSeconds',
        'retryDelayMs',
        'retryMaxDelayMs',
        'retryJitterEnabled',
        'retryJitterRatio',
        'jobActivation',
        'postgres',
        'sqlServer',
        'sqlite',
        'mySql',
        'recurring',
        'retention',
        'eventing',
        'workerMode',
        'queues',
        'payloadMaxBytes',
        'shutdownGraceSeconds',
        'logs',
      ].sort(),
    );
  });

  it('returns a deeply frozen object', () => {
    expect(Object.isFrozen(options)).toBe(true);
    expect(Object.isFrozen(options.recurring.registrationSync)).toBe(true);
    expect(Object.isFrozen(options.eventing)).toBe(true);
  });

  it('treats undefined and null as "use the default"', () => {
    const resolved = resolveOptions({ batchSize: undefined, tablePrefix: null, retention: undefined });
    expect(resolved.batchSize).toBe(50);
    expect(resolved.tablePrefix).toBe('');
  });
});

describe('resolveOptions values', () => {
  it('keeps values that are set', () => {
    const resolved = resolveOptions({
      workerName: 'api-1',
      tablePrefix: 'prod_',
      pollIntervalSeconds: 0.5,
      batchSize: 10,
      retryDelay: '10s',
      retryMaxDelay: '00:10:00',
      retention: { runRetentionSeconds: 604_800 },
      queues: ['emails', ' reports ', 'emails'],
    });
    expect(resolved).toMatchObject({
      workerName: 'api-1',
      tablePrefix: 'prod_',
      pollIntervalSeconds: 0.5,
      batchSize: 10,
      retryDelayMs: 10_000,
      retryMaxDelayMs: 600_000,
      retention: { runRetentionSeconds: 604_800 },
      queues: ['emails', 'reports'],
    });
  });

  it('reads a number duration as milliseconds', () => {
    expect(resolveOptions({ retryDelay: 250 }).retryDelayMs).toBe(250);
  });

  it.each([
    ['storageProvider', 'InMemory', 'memory'],
    ['storageProvider', 'Postgres', 'postgres'],
    ['storageProvider', 'MySql', 'mysql'],
    ['storageProvider', 'SqlServer', 'sqlserver'],
    ['storageProvider', 'sqlite', 'sqlite'],
    ['jobActivation', 'ScopedPerExecution', 'scoped-per-execution'],
    ['jobActivation', 'ROOT_PROVIDER', 'root-provider'],
    ['workerMode', 'Consumer', 'consumer'],
  ] as const)('normalises %s %j to %j', (key, value, expected) => {
    expect(resolveOptions({ [key]: value })[key]).toBe(expected);
  });

  it('normalises nested enums from the reference spelling', () => {
    const resolved = resolveOptions({
      recurring: {
        catchUpPolicy: 'CatchUp',
        registrationSync: { existingJobBehavior: 'UpdateFromCode', orphanedJobBehavior: 'Ignore' },
      },
    });
    expect(resolved.recurring).toEqual({
      catchUpPolicy: 'catch-up',
      registrationSync: { existingJobBehavior: 'update-from-code', orphanedJobBehavior: 'ignore' },
    });
    expect(resolveOptions({ recurring: { catchUpPolicy: 'SkipMissed' } }).recurring.catchUpPolicy).toBe(
      'skip-missed',
    );
    expect(
      resolveOptions({ recurring: { registrationSync: { existingJobBehavior: 'KeepDatabase' } } }).recurring
        .registrationSync.existingJobBehavior,
    ).toBe('keep-database');
  });

  it('treats an empty connection string as unset', () => {
    expect(resolveOptions({ postgres: { connectionString: '' } }).postgres.connectionString).toBeUndefined();
  });

  it('enables ingestion only with tenant id, secret and base URL', () => {
    const eventing = { tenantId: 't', clientSecret: 's', ingestionApiBaseUrl: 'https://events.example.com' };
    expect(resolveOptions({ eventing }).eventing.ingestionEnabled).toBe(true);
  });
});

describe('"<= 0 resets to the default" rules', () => {
  it.each([
    ['pollIntervalSeconds', 5],
    ['leaseDurationSeconds', 30],
  ] as const)('%s', (key, expected) => {
    expect(resolveOptions({ [key]: 0 })[key]).toBe(expected);
    expect(resolveOptions({ [key]: -3 })[key]).toBe(expected);
    expect(resolveOptions({ [key]: 7 })[key]).toBe(7);
  });

  it.each([
    ['sweepIntervalSeconds', 300],
    ['deleteBatchSize', 1000],
  ] as const)('retention.%s', (key, expected) => {
    expect(resolveOptions({ retention: { [key]: 0 } }).retention[key]).toBe(expected);
    expect(resolveOptions({ retention: { [key]: -1 } }).retention[key]).toBe(expected);
    expect(resolveOptions({ retention: { [key]: 9 } }).retention[key]).toBe(9);
  });

  it.each([
    ['ingestionFlushIntervalSeconds', 5],
    ['maxErrorDetailLength', 4096],
  ] as const)('eventing.%s', (key, expected) => {
    expect(resolveOptions({ eventing: { [key]: 0 } }).eventing[key]).toBe(expected);
    expect(resolveOptions({ eventing: { [key]: -10 } }).eventing[key]).toBe(expected);
    expect(resolveOptions({ eventing: { [key]: 11 } }).eventing[key]).toBe(11);
  });

  it('does not reset options without the rule: batchSize 0 is out of range', () => {
    expect(errorOf({ batchSize: 0 }).key).toBe('batchSize');
    expect(errorOf({ maxConcurrentRuns: -1 }).key).toBe('maxConcurrentRuns');
  });

  it('still rejects a non-number where the reset rule applies', () => {
    expect(errorOf({ pollIntervalSeconds: Number.NaN }).key).toBe('pollIntervalSeconds');
    expect(errorOf({ retention: { deleteBatchSize: '0' } }).key).toBe('retention.deleteBatchSize');
  });
});

describe('resolveOptions rejections', () => {
  it.each([
    [{ pollIntervalSecond: 3 }, 'pollIntervalSecond', 'pollIntervalSeconds'],
    [{ batchsize: 3 }, 'batchsize', 'batchSize'],
    [{ catchUpPolicy: 'catch-up' }, 'catchUpPolicy', 'recurring.catchUpPolicy'],
    [{ retention: { runRetentionSecs: 5 } }, 'retention.runRetentionSecs', 'retention.runRetentionSeconds'],
    [
      { recurring: { registrationSync: { orphanedJobBehaviour: 'ignore' } } },
      'recurring.registrationSync.orphanedJobBehaviour',
      'recurring.registrationSync.orphanedJobBehavior',
    ],
    [{ postgress: { connectionString: 'x' } }, 'postgress', 'postgres'],
    [{ pollInterval: 5 }, 'pollInterval', 'pollIntervalSeconds'],
  ])('rejects an unknown key with a suggestion: %j', (input, key, suggestion) => {
    const error = errorOf(input);
    expect(error.key).toBe(key);
    expect(error.message).toContain(`did you mean \`${suggestion}\`?`);
  });

  it('rejects an unknown key without a far-fetched suggestion', () => {
    const error = errorOf({ frobnicate: true });
    expect(error.key).toBe('frobnicate');
    expect(error.message).not.toContain('did you mean');
  });

  it('rejects jobRegistration.autoDiscoverJobsFromAssembly, explaining there is no discovery', () => {
    const error = errorOf({ jobRegistration: { autoDiscoverJobsFromAssembly: true } });
    expect(error.key).toBe('jobRegistration');
    expect(error.message).toMatch(/no assembly scanning or job discovery/);
    expect(error.message).toMatch(/explicitly in `jobs`/);
  });

  it.each([
    [{ batchSize: '50' }, 'batchSize', /expected a number/],
    [{ pollJitterEnabled: 'yes' }, 'pollJitterEnabled', /expected true or false/],
    [{ workerName: 42 }, 'workerName', /expected a string/],
    [{ queues: 'emails' }, 'queues', /expected an array/],
    [{ retention: 'off' }, 'retention', /expected an object/],
    [{ retryDelay: true }, 'retryDelay', /expected a duration/],
    [{ postgres: { connectionString: 5 } }, 'postgres.connectionString', /expected a string/],
  ])('rejects a wrong type: %j', (input, key, message) => {
    const error = errorOf(input);
    expect(error.key).toBe(key);
    expect(error.message).toMatch(message);
  });

  it('rejects a non-object input', () => {
    expect(errorOf('fast').key).toBe('options');
    expect(errorOf([]).key).toBe('options');
  });

  it.each([
    [{ pollJitterRatio: 1.5 }, 'pollJitterRatio'],
    [{ pollJitterRatio: -0.1 }, 'pollJitterRatio'],
    [{ retryJitterRatio: 2 }, 'retryJitterRatio'],
    [{ batchSize: 2.5 }, 'batchSize'],
    [{ maxConcurrentRuns: 0 }, 'maxConcurrentRuns'],
    [{ pollIntervalSeconds: 3_000_000 }, 'pollIntervalSeconds'],
    [{ pollIntervalSeconds: Number.POSITIVE_INFINITY }, 'pollIntervalSeconds'],
    [{ retention: { runRetentionSeconds: 0 } }, 'retention.runRetentionSeconds'],
    [{ eventing: { ingestionMaxRetryAttempts: -1 } }, 'eventing.ingestionMaxRetryAttempts'],
    [{ payloadMaxBytes: 0 }, 'payloadMaxBytes'],
    [{ shutdownGraceSeconds: -1 }, 'shutdownGraceSeconds'],
    [{ logs: { flushIntervalSeconds: 0 } }, 'logs.flushIntervalSeconds'],
    [{ queues: [] }, 'queues'],
    [{ queues: ['a', ''] }, 'queues[1]'],
    [{ workerName: '  ' }, 'workerName'],
    [{ workerName: 'a\nb' }, 'workerName'],
    [{ eventing: { ingestionApiBaseUrl: 'ftp://x' } }, 'eventing.ingestionApiBaseUrl'],
    [{ eventing: { ingestionApiBaseUrl: 'not a url' } }, 'eventing.ingestionApiBaseUrl'],
    [{ eventing: { ingestionPath: 'v1/events' } }, 'eventing.ingestionPath'],
  ])('rejects an out-of-range value: %j', (input, key) => {
    expect(errorOf(input).key).toBe(key);
  });

  it.each(['x; drop table y', 'a-b', 'a'.repeat(25), '1abc', 'prefix ', 'é_'])(
    'rejects the table prefix %j',
    (tablePrefix) => {
      const error = errorOf({ tablePrefix });
      expect(error.key).toBe('tablePrefix');
    },
  );

  it('explains the 24-character limit', () => {
    expect(errorOf({ tablePrefix: 'a'.repeat(25) }).message).toMatch(/at most 24.*MySQL/);
  });

  it.each(['_', 'app_', 'A1_', 'a'.repeat(24)])('accepts the table prefix %j', (tablePrefix) => {
    expect(resolveOptions({ tablePrefix }).tablePrefix).toBe(tablePrefix);
  });

  it.each([
    [{ storageProvider: 'oracle' }, 'storageProvider'],
    [{ jobActivation: 'transient' }, 'jobActivation'],
    [{ workerMode: 'all' }, 'workerMode'],
    [{ recurring: { catchUpPolicy: 'replay' } }, 'recurring.catchUpPolicy'],
    [
      { recurring: { registrationSync: { existingJobBehavior: 'merge' } } },
      'recurring.registrationSync.existingJobBehavior',
    ],
  ])('rejects a bad enum value: %j', (input, key) => {
    const error = errorOf(input);
    expect(error.key).toBe(key);
    expect(error.message).toMatch(/is not one of/);
  });

  it.each([
    [{ retryDelay: 'five seconds' }, 'retryDelay'],
    [{ retryMaxDelay: -1 }, 'retryMaxDelay'],
  ])('rejects a bad duration: %j', (input, key) => {
    const error = errorOf(input);
    expect(error.key).toBe(key);
    expect(error.message).toContain('"00:00:05"');
  });

  it('rejects half an ingestion configuration, naming the missing key', () => {
    expect(errorOf({ eventing: { tenantId: 't' } }).key).toBe('eventing.clientSecret');
    expect(errorOf({ eventing: { clientSecret: 's' } }).key).toBe('eventing.tenantId');
    expect(errorOf({ eventing: { tenantId: 't', clientSecret: 's' } }).key).toBe(
      'eventing.ingestionApiBaseUrl',
    );
  });
});

describe('requireConnection', () => {
  it.each([
    ['postgres', 'postgres.connectionString'],
    ['sqlite', 'sqlite.connectionString'],
    ['MySql', 'mySql.connectionString'],
    ['SqlServer', 'sqlServer.connectionString'],
  ])('a durable %s provider without its connection string throws naming %s', (storageProvider, key) => {
    const error = errorOf({ storageProvider }, { requireConnection: true });
    expect(error.key).toBe(key);
    expect(error.message).toMatch(/DURABLY_/);
  });

  it('is off by default, since hosting may receive a store object', () => {
    expect(resolveOptions({ storageProvider: 'postgres' }).storageProvider).toBe('postgres');
  });

  it('passes when the connection string is set, and for memory', () => {
    const options = {
      storageProvider: 'postgres',
      postgres: { connectionString: 'postgres://localhost/db' },
    };
    expect(resolveOptions(options, { requireConnection: true }).postgres.connectionString).toBe(
      'postgres://localhost/db',
    );
    expect(resolveOptions({}, { requireConnection: true }).storageProvider).toBe('memory');
  });
});
