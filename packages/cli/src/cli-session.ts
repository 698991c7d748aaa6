import { existsSync } from 'node:fs';
import {
  createClient,
  createJobRegistry,
  createRunQuery,
  createScheduleAdmin,
  defineJob,
  loadOptions,
  systemClock,
  type AnyJobDefinition,
  type DurablyClient,
  type DurablyStore,
  type ResolvedOptions,
  type RunQuery,
  type ScheduleAdmin,
  type ServiceDeps,
} from '@durably/core';
import { CliError } from './cli-error.js';
import type { CliIo } from './cli-io.js';
import { loadConfigModule, type ConfigModule } from './config-module.js';
import { createStoreFromUrl, parseDatabaseUrl, type StoreFromUrlOptions } from './create-store-from-url.js';
import { exitCodes } from './exit-codes.js';

/** The flags every command accepts. */
export interface GlobalFlags {
  databaseUrl: string | undefined;
  config: string | undefined;
  json: boolean;
}

/** The services a command works with. */
export interface CliServices extends ServiceDeps {
  client: DurablyClient;
  schedules: ScheduleAdmin;
  runs: RunQuery;
}

/**
 * One invocation's connection, options and jobs, each made on first use and closed at the end, so
 * a command that fails on its arguments never opens a connection.
 */
export interface CliSession {
  readonly io: CliIo;
  readonly flags: GlobalFlags;
  readonly cwd: string;
  /** The `--config` module, or `undefined` without the flag. */
  config(): Promise<ConfigModule | undefined>;
  options(): Promise<ResolvedOptions>;
  /** Where the database URL came from, for messages: `--database-url` or `DURABLY_DATABASE_URL`. */
  urlSource(): string;
  /**
   * The store (not migrated). `create: false` (default) refuses to create a missing SQLite file, so
   * a typo in a path is not answered with an empty database.
   */
  store(settings?: { create?: boolean }): Promise<DurablyStore>;
  /** Services over the config's jobs plus `extraJobs` (stand-ins for `--allow-unknown`). */
  services(extraJobs?: readonly AnyJobDefinition[]): Promise<CliServices>;
  close(): Promise<void>;
}

/** Creates the session of one invocation; nothing is opened until a command asks for it. */
export function createCliSession(io: CliIo, flags: GlobalFlags): CliSession {
  const cwd = io.cwd ?? process.cwd();
  let configLoad: Promise<ConfigModule | undefined> | undefined;
  let opened: DurablyStore | undefined;
  const urlSource = () => (flags.databaseUrl !== undefined ? '--database-url' : 'DURABLY_DATABASE_URL');
  const url = () => flags.databaseUrl ?? io.env.DURABLY_DATABASE_URL;

  const session: CliSession = {
    io,
    flags,
    cwd,
    config: () =>
      (configLoad ??=
        flags.config === undefined ? Promise.resolve(undefined) : loadConfigModule(flags.config, cwd)),
    async options() {
      const config = await session.config();
      return loadOptions({ ...(config ? { object: config.options } : {}), env: io.env });
    },
    urlSource,
    async store(settings = {}) {
      if (opened) return opened;
      const options = await session.options();
      const storeOptions: StoreFromUrlOptions = {
        source: urlSource(),
        cwd,
        tablePrefix: options.tablePrefix,
      };
      const target = parseDatabaseUrl(url(), storeOptions);
      if (target.provider === 'sqlite' && !settings.create && !existsSync(target.filename)) {
        throw new CliError(
          `No SQLite database at ${target.filename} (from ${urlSource()}). Check the path, or run \`durably migrate\` to create it.`,
          exitCodes.failure,
        );
      }
      opened = await createStoreFromUrl(url(), storeOptions);
      return opened;
    },
    async services(extraJobs = []) {
      const config = await session.config();
      const options = await session.options();
      const store = await session.store();
      const registry = createJobRegistry([...(config?.jobs ?? []), ...extraJobs], {
        payloadMaxBytes: options.payloadMaxBytes,
      });
      const deps: ServiceDeps = { store, registry, options, clock: systemClock };
      return {
        ...deps,
        client: createClient(deps),
        schedules: createScheduleAdmin(deps),
        runs: createRunQuery(deps),
      };
    },
    async close() {
      const store = opened;
      opened = undefined;
      await store?.close();
    },
  };
  return session;
}

/**
 * A stand-in definition for a job this process does not define (`--allow-unknown`): enough to
 * enqueue it by name for a worker elsewhere. It is never run here.
 */
export function standInJob(
  name: string,
  settings: { maxAttempts?: number; queue?: string },
): AnyJobDefinition {
  return defineJob<unknown>({
    name,
    ...(settings.maxAttempts === undefined ? {} : { maxAttempts: settings.maxAttempts }),
    ...(settings.queue === undefined ? {} : { queue: settings.queue }),
    run() {
      throw new Error(
        `"${name}" was enqueued by the CLI with --allow-unknown; run it in a worker that defines it.`,
      );
    },
  });
}
