import { describe } from 'vitest';
import { mysqlTestDatabase } from './test-support/cli-harness.js';
import { describeCliCommands } from './test-support/cli-command-suite.js';

const url = process.env.DURABLY_TEST_MYSQL_URL;

// Without the variable the suite is skipped (and shows as skipped); with it set, an unreachable
// server fails the suite instead of skipping it.
describe.skipIf(!url)('durably CLI on MySQL/MariaDB', () => {
  describeCliCommands(() => mysqlTestDatabase(url!));
});
