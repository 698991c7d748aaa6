import { hostname } from 'node:os';
import type { OptionPath } from './durably-options.js';

/** How an option's value is read and checked. */
export type OptionKind = 'string' | 'boolean' | 'integer' | 'number' | 'duration' | 'enum' | 'string-list';

/** A resolved option value (durations already in milliseconds). */
export type OptionValue = string | number | boolean | readonly string[] | null | undefined;

/** Everything Durably knows about one option: the single source of defaults, checks, env names and docs. */
export interface OptionSpec {
  readonly kind: OptionKind;
  readonly description: string;
  /** The default, or a function computing it when options are resolved. */
  readonly default: OptionValue | (() => OptionValue);
  /** How the default is shown in docs when it is computed or unusual. */
  readonly defaultText?: string;
  /** Inclusive bounds for numbers (after the reset rule). */
  readonly min?: number;
  readonly max?: number;
  /** The reference's rule "`<= 0` resets to the default". */
  readonly resetWhenNotPositive?: true;
  /** Canonical (kebab-case) values of an enum. */
  readonly values?: readonly string[];
  /** Extra spellings of enum values, e.g. `InMemory` → `memory` (compared case-insensitively). */
  readonly aliases?: Readonly<Record<string, string>>;
  /** A further check of a string value; returns the problem, or `undefined` when fine. */
  readonly check?: (value: string) => string | undefined;
  /** The reference's name when it is not simply the PascalCase of our path. */
  readonly referenceName?: string;
  /** Environment variable name when it is not generated from the path. */
  readonly env?: string;
  /** Where the value lands in `ResolvedOptions` when it differs from the path (durations → `*Ms`). */
  readonly resolvedPath?: string;
  /** Never print the value (connection strings, secrets). */
  readonly secret?: true;
}

/** Longest wait `setTimeout` supports (2^31-1 ms); a larger timer fires at once instead. */
const maxTimerSeconds = 2_147_483;
const seconds = (description: string, value: number, extra: Partial<OptionSpec> = {}): OptionSpec => ({
  kind: 'number',
  description,
  default: value,
  min: 0,
  max: maxTimerSeconds,
  ...extra,
});
const count = (description: string, value: number, min = 1): OptionSpec => ({
  kind: 'integer',
  description,
  default: value,
  min,
  max: Number.MAX_SAFE_INTEGER,
});
const ratio = (description: string): OptionSpec => ({
  kind: 'number',
  description,
  default: 0.2,
  min: 0,
  max: 1,
});
const flag = (description: string, value: boolean): OptionSpec => ({
  kind: 'boolean',
  description,
  default: value,
});
const choice = (
  description: string,
  values: readonly string[],
  aliases: Readonly<Record<string, string>> = {},
): OptionSpec => ({ kind: 'enum', description, default: values[0], values, aliases });
const connection = (provider: string): OptionSpec => ({
  kind: 'string',
  description: `Connection string used when \`storageProvider\` is \`${provider}\` and no store object is given.`,
  default: undefined,
  secret: true,
});

/** Longest prefix that keeps our longest index name within MySQL's 64-character identifier limit. */
export const maxTablePrefixLength = 24;
const identifier = /^[A-Za-z_][A-Za-z0-9_]*$/;

function checkTablePrefix(value: string): string | undefined {
  if (value === '') return undefined;
  if (!identifier.test(value)) {
    return `${JSON.stringify(value)} is not an identifier; use letters, digits and "_", not starting with a digit (e.g. "app_")`;
  }
  if (value.length > maxTablePrefixLength) {
    return `${JSON.stringify(value)} is ${value.length} characters; use at most ${maxTablePrefixLength} so index names fit MySQL's 64-character limit`;
  }
  return undefined;
}

function checkWorkerName(value: string): string | undefined {
  if (value.trim() === '') return 'must not be empty; omit it to use `${hostname}-${pid}`';
  if (value.length > 200) return 'must be at most 200 characters';
  // eslint-disable-next-line no-control-regex -- rejecting control characters is the point
  return /[\u0000-\u001f\u007f]/.test(value) ? 'must not contain control characters' : undefined;
}

function checkHttpUrl(value: string): string | undefined {
  const url = URL.canParse(value) ? new URL(value) : undefined;
  return url && (url.protocol === 'https:' || url.protocol === 'http:')
    ? undefined
    : `${JSON.stringify(value)} is not an absolute http(s) URL`;
}

function checkPath(value: string): string | undefined {
  return value.startsWith('/') ? undefined : `${JSON.stringify(value)} must start with "/"`;
}

/**
 * Every option, keyed by dotted path. The compiler checks that this table and `DurablyOptions`
 * list the same paths, so neither can drift from the other.
 */
export const optionTable: { readonly [P in OptionPath]: OptionSpec } = {
  storageProvider: choice('Backing store.', ['memory', 'sqlite', 'postgres', 'mysql', 'sqlserver'], {
    InMemory: 'memory',
    PostgreSql: 'postgres',
    MariaDb: 'mysql',
    MsSql: 'sqlserver',
  }),
  workerName: {
    kind: 'string',
    description: 'Unique identity of this worker process: lease owner and diagnostics.',
    default: () => `${hostname()}-${process.pid}`,
    defaultText: '${hostname}-${pid}',
    check: checkWorkerName,
  },
  tablePrefix: {
    kind: 'string',
    description: `Prefix of every table and index: letters, digits and "_", at most ${maxTablePrefixLength} characters.`,
    default: '',
    check: checkTablePrefix,
    referenceName: 'DatabaseTablePrefix',
  },
  pollIntervalSeconds: seconds('Seconds between polls for due runs (<= 0 resets to 5).', 5, {
    resetWhenNotPositive: true,
  }),
  pollJitterEnabled: flag('Randomise each poll delay by ±pollJitterRatio.', true),
  pollJitterRatio: ratio('Poll jitter ratio, 0 to 1.'),
  batchSize: count('Most runs claimed per poll.', 50),
  maxConcurrentRuns: count('Most runs executing at once in this worker.', 5),
  prefetchRuns: count(
    'Runs claimed beyond free execution slots, held leased until a slot frees (0: claim only for free slots).',
    0,
    0,
  ),
  leaseDurationSeconds: seconds(
    'Lease time-to-live in seconds; extended every half lease (<= 0 resets to 30).',
    30,
    {
      resetWhenNotPositive: true,
    },
  ),
  retryDelay: {
    kind: 'duration',
    description: 'Base retry delay when a job sets no initial delay ("5s", "00:00:05" or milliseconds).',
    default: 5_000,
    defaultText: '5s',
    resolvedPath: 'retryDelayMs',
  },
  retryMaxDelay: {
    kind: 'duration',
    description: 'Upper bound of every computed retry delay.',
    default: 3_600_000,
    defaultText: '1h',
    resolvedPath: 'retryMaxDelayMs',
  },
  retryJitterEnabled: flag('Randomise retry delays by ±retryJitterRatio.', false),
  retryJitterRatio: ratio('Retry jitter ratio, 0 to 1.'),
  jobActivation: choice('How handlers get services: a scope per execution, or the root provider.', [
    'scoped-per-execution',
    'root-provider',
  ]),
  'postgres.connectionString': connection('postgres'),
  'sqlServer.connectionString': connection('sqlserver'),
  'sqlite.connectionString': connection('sqlite'),
  'mySql.connectionString': { ...connection('mysql'), env: 'DURABLY_MYSQL_CONNECTION_STRING' },
  'recurring.catchUpPolicy': choice(
    'Missed cron slots after downtime: skip to the next one, or replay them.',
    ['skip-missed', 'catch-up'],
  ),
  'recurring.registrationSync.existingJobBehavior': choice(
    'A recurring job in code and store: keep the stored settings, or overwrite them from code.',
    ['keep-database', 'update-from-code'],
  ),
  'recurring.registrationSync.orphanedJobBehavior': choice(
    'A recurring job in the store but not in code: disable it, or leave it alone.',
    ['disable', 'ignore'],
  ),
  'retention.enabled': flag('Delete terminal runs older than runRetentionSeconds.', true),
  'retention.runRetentionSeconds': {
    kind: 'integer',
    description:
      'Seconds a terminal run is kept; unset uses the store default (3600 in memory, 86400 durable).',
    default: null,
    defaultText: 'store default',
    min: 1,
    max: Number.MAX_SAFE_INTEGER,
  },
  'retention.sweepIntervalSeconds': seconds('Seconds between retention sweeps (<= 0 resets to 300).', 300, {
    resetWhenNotPositive: true,
  }),
  'retention.deleteBatchSize': {
    ...count('Most runs deleted per statement (<= 0 resets to 1000).', 1000),
    resetWhenNotPositive: true,
  },
  'eventing.tenantId': {
    kind: 'string',
    description: 'Tenant id for HTTP event ingestion.',
    default: undefined,
  },
  'eventing.clientSecret': {
    kind: 'string',
    description: 'Client secret for HTTP event ingestion.',
    default: undefined,
    secret: true,
  },
  'eventing.ingestionApiBaseUrl': {
    kind: 'string',
    description: 'Ingestion API base URL. No default: Durably never sends data to a host you did not name.',
    default: undefined,
    check: checkHttpUrl,
  },
  'eventing.ingestionPath': {
    kind: 'string',
    description: 'Ingestion API path.',
    default: '/v1/events/batch',
    check: checkPath,
  },
  'eventing.ingestionMaxBatchSize': count('Most events per ingestion request.', 100),
  'eventing.ingestionMaxRequestBodyBytes': count('Largest ingestion request body in bytes.', 1_000_000),
  'eventing.ingestionMaxRetryAttempts': count('Retries of a failed ingestion post.', 5, 0),
  'eventing.ingestionFlushIntervalSeconds': seconds(
    'Seconds between ingestion flushes (<= 0 resets to 5).',
    5,
    {
      resetWhenNotPositive: true,
    },
  ),
  'eventing.includeErrorDetail': flag('Include error messages and stacks in events.', false),
  'eventing.maxErrorDetailLength': {
    ...count('Characters of error detail kept per event (<= 0 resets to 4096).', 4096),
    resetWhenNotPositive: true,
  },
  workerMode: choice('both: enqueue and run; producer: enqueue and query only; consumer: run only.', [
    'both',
    'producer',
    'consumer',
  ]),
  queues: {
    kind: 'string-list',
    description: 'Queues this worker consumes (comma-separated in the environment); unset means all.',
    default: undefined,
    defaultText: 'all queues',
  },
  payloadMaxBytes: count('Largest serialized payload accepted at enqueue, in bytes.', 262_144),
  shutdownGraceSeconds: seconds(
    'Seconds in-flight attempts may run on after stop() before they are aborted.',
    30,
  ),
  'logs.flushIntervalSeconds': seconds('Seconds between flushes of buffered progress and log lines.', 2, {
    min: 0.001,
  }),
  'logs.flushBatchSize': count('Flush buffered progress and log lines at this many entries.', 50),
  'logs.maxLinesPerRun': count('Log lines kept per run; later lines are dropped.', 1000, 0),
};

/** Every option path, in table order (which is also the order of the docs). */
export const optionPaths = Object.keys(optionTable) as OptionPath[];

/** The spec of a dotted path, or `undefined` for an unknown path. */
export function optionSpecOf(path: string): OptionSpec | undefined {
  return Object.hasOwn(optionTable, path) ? optionTable[path as OptionPath] : undefined;
}

/** `retention.runRetentionSeconds` → `DURABLY_RETENTION_RUN_RETENTION_SECONDS`. */
export function envNameOf(path: OptionPath): string {
  const spec = optionTable[path];
  if (spec.env) return spec.env;
  return `DURABLY_${path
    .replaceAll('.', '_')
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toUpperCase()}`;
}

/** The group paths that hold options, e.g. `recurring`, `recurring.registrationSync`. */
export const optionGroups: ReadonlySet<string> = new Set(
  optionPaths.flatMap((path) => {
    const parts = path.split('.');
    return parts.slice(1).map((_, index) => parts.slice(0, index + 1).join('.'));
  }),
);

/** The reference's name of an option, e.g. `Retention.RunRetentionSeconds`. */
export function referenceNameOf(path: OptionPath): string {
  return (
    optionTable[path].referenceName ??
    path
      .split('.')
      .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
      .join('.')
  );
}
