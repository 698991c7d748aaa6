import { afterAll } from 'vitest';
import { runApiCases } from './test-support/run-api-cases.js';
import { scheduleApiCases } from './test-support/schedule-api-cases.js';
import { securityApiCases } from './test-support/security-api-cases.js';
import { statsApiCases } from './test-support/stats-api-cases.js';
import { sqliteStores } from './test-support/provider-stores.js';

// Every test gets its own SQLite file in one temp directory.
const stores = sqliteStores();
afterAll(() => stores.cleanup());

runApiCases('sqlite', stores.factory);
scheduleApiCases('sqlite', stores.factory);
securityApiCases('sqlite', stores.factory);
statsApiCases('sqlite', stores.factory);
