import { ConfigurationError } from '../errors.js';
import type { DurablyOptions, OptionPath, ResolvedOptions, StorageProviderName } from './durably-options.js';
import { envNameOf, optionGroups, optionPaths, optionSpecOf, optionTable } from './option-table.js';
import { resolveOptionValue } from './option-value.js';
import { setPath } from './set-path.js';
import { suggestKey } from './suggest-key.js';

/** How strictly `resolveOptions` checks; both flags are about rules between options. */
export interface ResolveOptionsSettings {
  /**
   * Also require the connection string of a durable `storageProvider` (e.g. `postgres.connectionString`).
   * Default `false`: hosting may be handed a ready store object, which needs no connection string.
   */
  requireConnection?: boolean;
  /**
   * Apply the rules that relate options to each other (ingestion credentials and URL). Default
   * `true`; `loadOptions` turns it off while checking one source of several on its own.
   */
  crossChecks?: boolean;
}

/** Options the reference has but Durably deliberately does not, with what to do instead. */
const removedOptions: Readonly<Record<string, string>> = {
  jobRegistration:
    'Durably has no assembly scanning or job discovery; list your job definitions explicitly in `jobs` ' +
    '(e.g. `createDurably({ jobs: [sendWelcome, nightly] })`) and remove this key',
};

/** Which option holds the connection string of each durable provider. */
export const connectionOptionOf: Readonly<
  Record<Exclude<StorageProviderName, 'memory'>, keyof ResolvedOptions>
> = {
  postgres: 'postgres',
  sqlite: 'sqlite',
  mysql: 'mySql',
  sqlserver: 'sqlServer',
};

/**
 * Validates options and fills in every default. Unknown keys (at any depth, with a "did you mean"
 * suggestion), wrong types and out-of-range values throw a `ConfigurationError` whose `key` is the
 * dotted path. `undefined` and `null` mean "use the default". The result is deeply frozen.
 *
 * @example
 * const options = resolveOptions({ pollIntervalSeconds: 1, retention: { runRetentionSeconds: 7 * 86_400 } });
 * options.retryDelayMs; // 5000
 */
export function resolveOptions(
  input: DurablyOptions = {},
  settings: ResolveOptionsSettings = {},
): ResolvedOptions {
  const given = new Map<string, unknown>();
  collectLeaves(input, '', given);
  const resolved: Record<string, unknown> = {};
  for (const path of optionPaths) {
    const spec = optionTable[path];
    setPath(resolved, spec.resolvedPath ?? path, resolveOptionValue(path, spec, given.get(path)));
  }
  const options = resolved as unknown as Mutable<ResolvedOptions>;
  const crossChecks = settings.crossChecks ?? true;
  options.eventing = { ...options.eventing, ingestionEnabled: crossChecks && checkEventing(options) };
  if (settings.requireConnection) checkConnection(options);
  return deepFreeze(options);
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

function collectLeaves(value: unknown, prefix: string, into: Map<string, unknown>): void {
  if (!isPlainObject(value)) {
    throw new ConfigurationError(prefix || 'options', `expected an object of options, got ${typeof value}`);
  }
  for (const [key, child] of Object.entries(value)) {
    const path = prefix ? `${prefix}.${key}` : key;
    const removed = removedOptions[path.split('.')[0] ?? ''];
    if (removed !== undefined) throw new ConfigurationError(path, removed);
    if (optionSpecOf(path)) {
      into.set(path, child);
    } else if (optionGroups.has(path)) {
      if (child !== undefined && child !== null) collectLeaves(child, path, into);
    } else {
      throw unknownKey(path, prefix, key);
    }
  }
}

function unknownKey(path: string, prefix: string, key: string): ConfigurationError {
  const all = [...optionPaths, ...optionGroups];
  const siblings = all.filter(
    (candidate) =>
      candidate.startsWith(prefix ? `${prefix}.` : '') &&
      !candidate.slice(prefix ? prefix.length + 1 : 0).includes('.'),
  );
  const suggestion = suggestKey(key, siblings) ?? suggestKey(key, optionPaths);
  const hint = suggestion ? `did you mean \`${suggestion}\`? ` : '';
  return new ConfigurationError(path, `is not a Durably option; ${hint}describeOptions() lists every option`);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

/**
 * Ingestion runs when tenant id, client secret and base URL are all set. Half a configuration is
 * a mistake worth stopping for (the reference silently stays off), and there is no default host.
 */
function checkEventing(options: ResolvedOptions): boolean {
  const { tenantId, clientSecret, ingestionApiBaseUrl } = options.eventing;
  if ((tenantId === undefined) !== (clientSecret === undefined)) {
    const missing = tenantId === undefined ? 'eventing.tenantId' : 'eventing.clientSecret';
    throw new ConfigurationError(
      missing,
      'is required when the other ingestion credential is set; set both or neither',
    );
  }
  if (tenantId !== undefined && ingestionApiBaseUrl === undefined) {
    throw new ConfigurationError(
      'eventing.ingestionApiBaseUrl',
      'is required when ingestion credentials are set; Durably has no default host and sends events only where you say',
    );
  }
  return tenantId !== undefined && ingestionApiBaseUrl !== undefined;
}

function checkConnection(options: ResolvedOptions): void {
  if (options.storageProvider === 'memory') return;
  const group = connectionOptionOf[options.storageProvider];
  const connection = options[group] as { connectionString: string | undefined };
  if (connection.connectionString === undefined) {
    const path = `${group}.connectionString` as OptionPath;
    throw new ConfigurationError(
      path,
      `is required because storageProvider is "${options.storageProvider}"; set it or ${envNameOf(path)}, or pass a store object instead`,
    );
  }
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}
