import { afterAll } from 'vitest';
import { runApiCases } from './test-support/run-api-cases.js';
import { scheduleApiCases } from './test-support/schedule-api-cases.js';
import { sqliteStores } from './test-support/provider-stores.js';

const stores = sqliteStores();
afterAll(() => stores.cleanup());

runApiCases('sqlite', stores.factory);
scheduleApiCases('sqlite', stores.factory);
