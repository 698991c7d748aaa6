import { ConfigurationError } from '@durably/core';

/**
 * What `createHttpIngestionSink` takes: the reference's `eventing` options (the same names as
 * `ResolvedOptions['eventing']`, so `{ ...options.eventing, workerName: options.workerName }` fits)
 * plus a few tuning knobs of this implementation. Credentials and the base URL are required.
 */
export interface HttpIngestionSinkOptions {
  /** Tenant id, sent as the `x-durably-tenant-id` header. Required. */
  tenantId?: string | null;
  /** Client secret, sent as the `x-durably-client-secret` header. Required. Never logged. */
  clientSecret?: string | null;
  /** Base URL of the ingestion API (`http:` or `https:`). Required: there is no default host. */
  ingestionApiBaseUrl?: string | null;
  /** Path appended to the base URL. Default `/v1/events/batch`. */
  ingestionPath?: string;
  /** Most events per request. Default 100. */
  ingestionMaxBatchSize?: number;
  /** Largest request body in bytes (UTF-8, envelope included). Default 1 000 000. */
  ingestionMaxRequestBodyBytes?: number;
  /** Retries of a failed request before its batch is dropped. Default 5; 0 means one try only. */
  ingestionMaxRetryAttempts?: number;
  /** Seconds between flushes of a partial batch. Default 5; `<= 0` resets to 5. Full batches go at once. */
  ingestionFlushIntervalSeconds?: number;
  /** Send error messages and stacks, not only error types. Default `false`. */
  includeErrorDetail?: boolean;
  /** Most characters of an error message or stack sent. Default 4096; `<= 0` resets to 4096. */
  maxErrorDetailLength?: number;
  /** Reported in every batch's runtime information. Default `${hostname}-${pid}`. */
  workerName?: string;
  /** Most events buffered while the endpoint is slow or down; the oldest are dropped beyond. Default 10 000. */
  bufferCapacity?: number;
  /** Each request is aborted after this many ms. Default 10 000. */
  requestTimeoutMs?: number;
  /** Delay before the first retry, in ms; doubles per retry (±20 % jitter). Default 1 000. */
  retryBaseDelayMs?: number;
  /** Largest delay between retries, in ms. Default 30 000. */
  retryMaxDelayMs?: number;
  /** Most time `flush()` waits, in ms, so shutdown is never held up by a dead endpoint. Default 10 000. */
  flushTimeoutMs?: number;
}

/** The options with defaults applied and checked. */
export interface IngestionSettings {
  url: string;
  /** `url` without user info or query, safe to log. */
  displayUrl: string;
  headers: Record<string, string>;
  maxBatchSize: number;
  maxRequestBodyBytes: number;
  maxRetryAttempts: number;
  flushIntervalMs: number;
  includeErrorDetail: boolean;
  maxErrorDetailLength: number;
  bufferCapacity: number;
  requestTimeoutMs: number;
  retryBaseDelayMs: number;
  retryMaxDelayMs: number;
  flushTimeoutMs: number;
}

/** Checks the options and fills in defaults. Throws `ConfigurationError` naming the offending key. */
export function resolveIngestionSettings(
  options: HttpIngestionSinkOptions,
  userAgent: string,
): IngestionSettings {
  const tenantId = requireText(options.tenantId, 'eventing.tenantId');
  const clientSecret = requireText(options.clientSecret, 'eventing.clientSecret');
  const url = ingestionUrl(options.ingestionApiBaseUrl, options.ingestionPath ?? '/v1/events/batch');
  const flushSeconds = options.ingestionFlushIntervalSeconds ?? 5;
  const maxDetail = options.maxErrorDetailLength ?? 4096;
  const { origin, pathname } = new URL(url);
  return {
    url,
    displayUrl: `${origin}${pathname}`,
    headers: {
      'content-type': 'application/json',
      'user-agent': userAgent,
      'x-durably-tenant-id': tenantId,
      'x-durably-client-secret': clientSecret,
    },
    maxBatchSize: positiveInteger(options.ingestionMaxBatchSize ?? 100, 'eventing.ingestionMaxBatchSize'),
    maxRequestBodyBytes: positiveInteger(
      options.ingestionMaxRequestBodyBytes ?? 1_000_000,
      'eventing.ingestionMaxRequestBodyBytes',
    ),
    maxRetryAttempts: positiveInteger(
      options.ingestionMaxRetryAttempts ?? 5,
      'eventing.ingestionMaxRetryAttempts',
      0,
    ),
    flushIntervalMs: (flushSeconds > 0 ? flushSeconds : 5) * 1000,
    includeErrorDetail: options.includeErrorDetail ?? false,
    maxErrorDetailLength: maxDetail > 0 ? Math.floor(maxDetail) : 4096,
    bufferCapacity: positiveInteger(options.bufferCapacity ?? 10_000, 'bufferCapacity'),
    requestTimeoutMs: positiveInteger(options.requestTimeoutMs ?? 10_000, 'requestTimeoutMs'),
    retryBaseDelayMs: positiveInteger(options.retryBaseDelayMs ?? 1_000, 'retryBaseDelayMs', 0),
    retryMaxDelayMs: positiveInteger(options.retryMaxDelayMs ?? 30_000, 'retryMaxDelayMs', 0),
    flushTimeoutMs: positiveInteger(options.flushTimeoutMs ?? 10_000, 'flushTimeoutMs', 0),
  };
}

function requireText(value: string | null | undefined, key: string): string {
  if (typeof value === 'string' && value.trim() !== '') return value;
  throw new ConfigurationError(
    key,
    'is required for HTTP event ingestion; set both `eventing.tenantId` and `eventing.clientSecret`, or leave ingestion off',
  );
}

/** Joins base URL and path (`new URL(path, base)` would drop a base path such as `/api`). */
function ingestionUrl(base: string | null | undefined, path: string): string {
  if (typeof base !== 'string' || base.trim() === '') {
    throw new ConfigurationError(
      'eventing.ingestionApiBaseUrl',
      'is required when ingestion credentials are set; Durably has no default host and sends events only where you say',
    );
  }
  let parsed: URL;
  try {
    parsed = new URL(base);
  } catch {
    throw new ConfigurationError(
      'eventing.ingestionApiBaseUrl',
      `"${base}" is not a URL; use e.g. https://events.example.com`,
    );
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
    throw new ConfigurationError(
      'eventing.ingestionApiBaseUrl',
      `must be an http: or https: URL, got "${parsed.protocol}"`,
    );
  }
  if (parsed.username !== '' || parsed.password !== '') {
    // fetch refuses such URLs, and its error would repeat the password into logs.
    throw new ConfigurationError(
      'eventing.ingestionApiBaseUrl',
      'must not contain a user name or password; credentials go in `eventing.tenantId` and `eventing.clientSecret`',
    );
  }
  if (!path.startsWith('/')) {
    throw new ConfigurationError('eventing.ingestionPath', `must start with "/", got "${path}"`);
  }
  // A query on the base URL (e.g. an API key some gateways want) stays at the end.
  return `${parsed.origin}${parsed.pathname.replace(/\/+$/, '')}${path}${parsed.search}`;
}

function positiveInteger(value: number, key: string, min = 1): number {
  if (Number.isInteger(value) && value >= min) return value;
  throw new ConfigurationError(key, `must be an integer >= ${min}, got ${value}`);
}
