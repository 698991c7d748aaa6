import { createFakeClock, type DurablyStore, type NewRun } from '@durably/core';
import type { AnyDb } from '@durably/sql';
import { newRun as newRunFixture } from '@durably/testing';
import { Kysely } from 'kysely';
import { createSqlServerStoreOn } from '../sqlserver-store.js';
import { RecordingMssqlDialect } from './recording-dialect.js';

/**
 * A store on a recording MssqlDialect (no server): tables `jobs.app_…`, "now" from a fake clock at
 * 2026-01-01T00:00:00Z, so the compiled statements are stable.
 */
export function createStatementStore(): { dialect: RecordingMssqlDialect; store: DurablyStore } {
  const dialect = new RecordingMssqlDialect();
  const store = createSqlServerStoreOn({
    db: new Kysely<AnyDb>({ dialect }),
    tablePrefix: 'app_',
    schema: 'jobs',
    clock: createFakeClock('2026-01-01T00:00:00Z'),
  });
  return { dialect, store };
}

/** Ids, runs and rows shared by the SQL Server statement tests. */
export const runId = '11111111-2222-4333-8444-555555555555';
export const otherId = '66666666-7777-4888-8999-aaaaaaaaaaaa';
export const newRun = (o: Partial<NewRun> = {}) =>
  newRunFixture({ jobName: 'email', payloadJson: '{"to":"a@example.com"}', ...o });
export const runRow = (overrides: Record<string, unknown> = {}) => ({
  id: runId,
  job_name: 'email',
  queue: 'default',
  status: 'leased',
  priority: 0,
  attempt: 1,
  max_attempts: 3,
  payload: '{}',
  metadata: '{}',
  run_at: new Date('2026-01-01T00:00:00Z'),
  scheduled_for: new Date('2026-01-01T00:00:00Z'),
  created_at: new Date('2026-01-01T00:00:00Z'),
  started_at: new Date('2026-01-01T00:00:00Z'),
  finished_at: null,
  lease_owner: 'w1',
  lease_expires_at: new Date('2026-01-01T00:00:30Z'),
  cancel_requested_at: null,
  run_key: null,
  origin: 'enqueue',
  slot_at: null,
  last_error: null,
  progress_percent: null,
  progress_message: null,
  ...overrides,
});

export const scheduleRow = {
  job_name: 'nightly',
  cron: '0 3 * * *',
  time_zone: 'Europe/Berlin',
  enabled: true,
  allow_concurrent_runs: true,
  payload: '{}',
  next_run_at: new Date('2026-01-02T02:00:00Z'),
  last_slot_at: null,
  last_run_id: null,
  last_error: null,
  updated_by: 'code',
  created_at: new Date('2026-01-01T00:00:00Z'),
  updated_at: new Date('2026-01-01T00:00:00Z'),
};
