import { describe, it } from 'vitest';
import { runApiCases } from './test-support/run-api-cases.js';
import { scheduleApiCases } from './test-support/schedule-api-cases.js';
import { securityApiCases } from './test-support/security-api-cases.js';
import { statsApiCases } from './test-support/stats-api-cases.js';
import { postgresStores } from './test-support/provider-stores.js';

// Every test gets a fresh schema, dropped afterwards. Set but unreachable → this file fails.
const factory = await postgresStores();

if (factory) {
  runApiCases('postgres', factory);
  scheduleApiCases('postgres', factory);
  securityApiCases('postgres', factory);
  statsApiCases('postgres', factory);
} else {
  describe('admin API (postgres)', () => {
    it.skip('skipped: set DURABLY_TEST_POSTGRES_URL=postgres://postgres@127.0.0.1:5432/test to run the PostgreSQL API tests', () => {});
  });
}
