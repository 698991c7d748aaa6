import { describe } from 'vitest';
import { sqliteTestDatabase } from './test-support/cli-harness.js';
import { describeCliCommands } from './test-support/cli-command-suite.js';

describe('durably CLI on SQLite', () => {
  describeCliCommands(sqliteTestDatabase);
});
