import { writeJson, writeLine } from '../cli-io.js';
import type { CommandSpec } from '../command-spec.js';

/** `durably migrate`: creates or upgrades the tables (idempotent; creates a missing SQLite file). */
export const migrateCommand: CommandSpec = {
  name: 'migrate',
  summary: 'Create or upgrade the Durably tables (safe to run again)',
  synopsis: '',
  async run({ session }) {
    const store = await session.store({ create: true });
    await store.migrate();
    if (session.flags.json) writeJson(session.io.stdout, { migrated: true, provider: store.provider });
    else writeLine(session.io.stdout, `Schema is up to date (${store.provider}).`);
  },
};
