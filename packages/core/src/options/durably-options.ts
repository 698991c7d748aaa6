/**
 * The shapes of Durably's options. Names and defaults follow the reference's configuration schema
 * (DurableStack v1.0) in camelCase; the defaults, value ranges, environment names and descriptions
 * all come from one table, `optionTable` in `option-table.ts`.
 */

/** Where runs are stored. Default `memory` (process-local, not durable). */
export type StorageProviderName = 'memory' | 'sqlite' | 'postgres' | 'mysql' | 'sqlserver';
/** How a handler gets its services: a fresh scope per execution (default) or the root provider. */
export type JobActivationMode = 'scoped-per-execution' | 'root-provider';
/** What happens to cron slots missed while no worker ran. Default `skip-missed`. */
export type CatchUpPolicy = 'skip-missed' | 'catch-up';
/** A recurring job both in code and in the store: keep the stored settings (default) or overwrite them. */
export type ExistingJobBehavior = 'keep-database' | 'update-from-code';
/** A recurring job in the store but no longer in code: disable it (default) or leave it alone. */
export type OrphanedJobBehavior = 'disable' | 'ignore';
/** `both` (default) enqueues and runs jobs; `producer` only enqueues and queries; `consumer` only runs. */
export type WorkerMode = 'both' | 'producer' | 'consumer';

/**
 * A duration: a number of **milliseconds**, or a string such as `"5s"`, `"1h30m"`, `"00:00:05"`
 * (.NET TimeSpan). See `parseDuration`.
 */
export type DurationInput = number | string;

/** Options every provider reads the same way. Every key is optional; see `ResolvedOptions` for defaults. */
export interface DurablyOptions {
  /** Backing store. Default `memory`. The reference's PascalCase names (`InMemory`, `SqlServer`) are accepted. */
  storageProvider?: StorageProviderName | (string & {});
  /** Unique identity of this worker process (lease owner, diagnostics). Default `${hostname}-${pid}`. */
  workerName?: string;
  /** Prefix of every table and index (reference: `DatabaseTablePrefix`). Default `''`. Letters, digits, `_`; <= 24 chars. */
  tablePrefix?: string | null;
  /** Seconds between polls for due runs. Default 5; `<= 0` resets to 5. */
  pollIntervalSeconds?: number;
  /** Randomise each poll delay by ±`pollJitterRatio`. Default `true`. */
  pollJitterEnabled?: boolean;
  /** Poll jitter ratio, 0..1. Default 0.2 (a 5 s poll waits 4–6 s). */
  pollJitterRatio?: number;
  /** Most runs claimed per poll. Default 50. */
  batchSize?: number;
  /** Most runs executing at once in this worker. Default 5. */
  maxConcurrentRuns?: number;
  /**
   * Runs a worker may claim beyond its free execution slots, held leased (and heartbeated) in
   * memory until a slot frees, so that a busy worker claims hundreds of runs per statement instead
   * of a few per freed slot. Default 0: claims never exceed free slots. Prefetched runs wait on
   * this worker while another may be idle, and their recorded start is their claim time.
   */
  prefetchRuns?: number;
  /** Lease time-to-live in seconds; heartbeats extend it every half lease. Default 30; `<= 0` resets to 30. */
  leaseDurationSeconds?: number;
  /** Base retry delay when a job sets no `retry.initialDelaySeconds`. Default 5 s. */
  retryDelay?: DurationInput;
  /** Upper bound of every computed retry delay. Default 1 h. */
  retryMaxDelay?: DurationInput;
  /** Randomise retry delays by ±`retryJitterRatio`. Default `false`. */
  retryJitterEnabled?: boolean;
  /** Retry jitter ratio, 0..1. Default 0.2. */
  retryJitterRatio?: number;
  /** Default `scoped-per-execution`. */
  jobActivation?: JobActivationMode | (string & {});
  postgres?: ConnectionOptions;
  sqlServer?: ConnectionOptions;
  sqlite?: ConnectionOptions;
  mySql?: ConnectionOptions;
  recurring?: {
    /** Default `skip-missed`. */
    catchUpPolicy?: CatchUpPolicy | (string & {});
    registrationSync?: {
      /** Default `keep-database`. */
      existingJobBehavior?: ExistingJobBehavior | (string & {});
      /** Default `disable`. */
      orphanedJobBehavior?: OrphanedJobBehavior | (string & {});
    };
  };
  retention?: {
    /** Delete terminal runs after `runRetentionSeconds`. Default `true`. */
    enabled?: boolean;
    /** Seconds a terminal run is kept. Default `null`: the store's default (3 600 in memory, 86 400 durable). */
    runRetentionSeconds?: number | null;
    /** Seconds between retention sweeps. Default 300; `<= 0` resets to 300. */
    sweepIntervalSeconds?: number;
    /** Most runs deleted per statement. Default 1000; `<= 0` resets to 1000. */
    deleteBatchSize?: number;
  };
  eventing?: EventingOptions;
  /** Default `both`. */
  workerMode?: WorkerMode | (string & {});
  /** Queues this worker consumes. Default: all queues. */
  queues?: readonly string[];
  /** Largest serialized payload accepted at enqueue, in bytes. Default 262 144 (256 KiB). */
  payloadMaxBytes?: number;
  /** Seconds in-flight attempts may run on after a stop request before they are aborted. Default 30. */
  shutdownGraceSeconds?: number;
  logs?: {
    /** Seconds between flushes of buffered progress and log lines. Default 2. */
    flushIntervalSeconds?: number;
    /** Flush as soon as this many entries are buffered. Default 50. */
    flushBatchSize?: number;
    /** Log lines kept per run; later lines are dropped. Default 1000. */
    maxLinesPerRun?: number;
  };
}

/** Connection settings of one provider (`postgres`, `sqlServer`, `sqlite`, `mySql`). */
export interface ConnectionOptions {
  /** Required when `storageProvider` selects this provider and no store object is given. */
  connectionString?: string;
}

/** HTTP event ingestion (the reference's `Eventing` section). Off unless credentials and a URL are set. */
export interface EventingOptions {
  /** Tenant id for HTTP ingestion. Ingestion runs when tenant id, client secret and base URL are all set. */
  tenantId?: string | null;
  /** Client secret for HTTP ingestion. */
  clientSecret?: string | null;
  /** Ingestion API base URL. No default: Durably never sends data to a host you did not name. */
  ingestionApiBaseUrl?: string | null;
  /** Default `/v1/events/batch`. */
  ingestionPath?: string;
  /** Most events per request. Default 100. */
  ingestionMaxBatchSize?: number;
  /** Largest request body in bytes. Default 1 000 000. */
  ingestionMaxRequestBodyBytes?: number;
  /** Retries of a failed post. Default 5. */
  ingestionMaxRetryAttempts?: number;
  /** Seconds between flushes. Default 5; `<= 0` resets to 5. */
  ingestionFlushIntervalSeconds?: number;
  /** Include error messages and stacks in events. Default `false`. */
  includeErrorDetail?: boolean;
  /** Characters of error detail kept. Default 4096; `<= 0` resets to 4096. */
  maxErrorDetailLength?: number;
}

/** Every option with its default filled in and validated. Durations are milliseconds (`*Ms`). */
export interface ResolvedOptions {
  readonly storageProvider: StorageProviderName;
  readonly workerName: string;
  readonly tablePrefix: string;
  readonly pollIntervalSeconds: number;
  readonly pollJitterEnabled: boolean;
  readonly pollJitterRatio: number;
  readonly batchSize: number;
  readonly maxConcurrentRuns: number;
  readonly prefetchRuns: number;
  readonly leaseDurationSeconds: number;
  readonly retryDelayMs: number;
  readonly retryMaxDelayMs: number;
  readonly retryJitterEnabled: boolean;
  readonly retryJitterRatio: number;
  readonly jobActivation: JobActivationMode;
  readonly postgres: ResolvedConnectionOptions;
  readonly sqlServer: ResolvedConnectionOptions;
  readonly sqlite: ResolvedConnectionOptions;
  readonly mySql: ResolvedConnectionOptions;
  readonly recurring: {
    readonly catchUpPolicy: CatchUpPolicy;
    readonly registrationSync: {
      readonly existingJobBehavior: ExistingJobBehavior;
      readonly orphanedJobBehavior: OrphanedJobBehavior;
    };
  };
  readonly retention: {
    readonly enabled: boolean;
    /** `null`: use the store's `capabilities.defaultRunRetentionSeconds`. */
    readonly runRetentionSeconds: number | null;
    readonly sweepIntervalSeconds: number;
    readonly deleteBatchSize: number;
  };
  readonly eventing: ResolvedEventingOptions;
  readonly workerMode: WorkerMode;
  /** `undefined`: every queue. */
  readonly queues: readonly string[] | undefined;
  readonly payloadMaxBytes: number;
  readonly shutdownGraceSeconds: number;
  readonly logs: {
    readonly flushIntervalSeconds: number;
    readonly flushBatchSize: number;
    readonly maxLinesPerRun: number;
  };
}

/** `ConnectionOptions` after resolution. */
export interface ResolvedConnectionOptions {
  /** `undefined` when not set (an empty string counts as not set). */
  readonly connectionString: string | undefined;
}

/** `EventingOptions` with defaults filled in, plus whether ingestion is on. */
export interface ResolvedEventingOptions {
  readonly tenantId: string | undefined;
  readonly clientSecret: string | undefined;
  readonly ingestionApiBaseUrl: string | undefined;
  readonly ingestionPath: string;
  readonly ingestionMaxBatchSize: number;
  readonly ingestionMaxRequestBodyBytes: number;
  readonly ingestionMaxRetryAttempts: number;
  readonly ingestionFlushIntervalSeconds: number;
  readonly includeErrorDetail: boolean;
  readonly maxErrorDetailLength: number;
  /** Derived: tenant id, client secret and base URL are all set. */
  readonly ingestionEnabled: boolean;
}

type Leaf = string | number | boolean | readonly unknown[] | null | undefined;
type Paths<T, Prefix extends string = ''> = {
  [K in keyof T & string]-?: Exclude<T[K], undefined> extends Leaf
    ? `${Prefix}${K}`
    : Paths<Exclude<T[K], undefined>, `${Prefix}${K}.`>;
}[keyof T & string];

/** Dotted path of every option, e.g. `retention.deleteBatchSize`. */
export type OptionPath = Paths<DurablyOptions>;
