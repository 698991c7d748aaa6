import { sql, type Migration } from 'kysely';
import type { SqlContext } from './sql-context.js';
import type { ColumnKind, SqlExecutor } from './sql-dialect-adapter.js';

/**
 * The schema's migrations, shared by every SQL provider so that a migration number means the same
 * change everywhere. DDL details (types, partial indexes, extra tuning) come from the dialect adapter.
 * Never edit a released migration: add the next number.
 */
export const migrationIds = ['0001_initial'] as const;

/** The migrations as Kysely's migrator wants them, bound to one store's names and dialect. */
export function createSqlMigrations(ctx: SqlContext): Record<string, Migration> {
  return {
    '0001_initial': { up: (db) => migration0001(db as SqlExecutor, ctx) },
  };
}

const activeStatuses = `('pending','leased','waiting_retry')`;
const claimableStatuses = `('pending','waiting_retry')`;
const allStatuses = `('pending','leased','waiting_retry','succeeded','failed','cancelled','skipped')`;

/** 0001: runs, attempts, log lines, schedules, workers, and the indexes the hot paths need. */
async function migration0001(db: SqlExecutor, ctx: SqlContext): Promise<void> {
  await createRunsTable(db, ctx);
  await createRunIndexes(db, ctx);
  await createHistoryTables(db, ctx);
  await createScheduleAndWorkerTables(db, ctx);
  await ctx.adapter.afterMigration(db, ctx, '0001_initial');
}

/** The dialect's DDL type of a logical column type, as SQL text. */
const typeOf = (ctx: SqlContext) => (kind: ColumnKind) => sql.raw(ctx.adapter.columnType(kind));

async function createRunsTable(db: SqlExecutor, ctx: SqlContext): Promise<void> {
  const { tables } = ctx;
  const t = typeOf(ctx);

  // One row per run. `attempt` counts claims and is the fencing token together with `lease_owner`.
  // `run_key` (not `key`: reserved in MySQL) is unique among active runs of a job (index below).
  await sql`create table ${sql.table(tables.runs)} (
    id ${t('id')} primary key,
    job_name ${t('name')} not null,
    queue ${t('name')} not null,
    status ${t('name')} not null check (status in ${sql.raw(allStatuses)}),
    priority ${t('int')} not null,
    attempt ${t('int')} not null,
    max_attempts ${t('int')} not null,
    payload ${t('json')} not null,
    metadata ${t('json')} not null,
    run_at ${t('time')} not null,
    scheduled_for ${t('time')} not null,
    created_at ${t('time')} not null,
    started_at ${t('time')},
    finished_at ${t('time')},
    lease_owner ${t('name')},
    lease_expires_at ${t('time')},
    cancel_requested_at ${t('time')},
    run_key ${t('name')},
    origin ${t('name')} not null,
    slot_at ${t('time')},
    last_error ${t('json')},
    progress_percent ${t('double')},
    progress_message ${t('text')}
  )`.execute(db);
}

async function createRunIndexes(db: SqlExecutor, ctx: SqlContext): Promise<void> {
  const { adapter, tables } = ctx;
  // The claim reads this index in order and stops after `limit` rows: a short range scan however
  // many finished runs the table holds. Partial, so finished runs never enter it.
  await adapter.createIndex(db, {
    name: tables.objectName('runs_claim_idx'),
    table: tables.runs,
    columns: 'priority desc, run_at, id',
    where: `status in ${claimableStatuses}`,
  });
  // Idempotency keys: the database, not a read-then-write race, keeps one active run per key.
  await adapter.createIndex(db, {
    name: tables.objectName('runs_active_key_uq'),
    table: tables.runs,
    columns: 'job_name, run_key',
    unique: true,
    where: `run_key is not null and status in ${activeStatuses}`,
  });
  // A cron slot becomes at most one run, however many workers materialise it.
  await adapter.createIndex(db, {
    name: tables.objectName('runs_slot_uq'),
    table: tables.runs,
    columns: 'job_name, slot_at',
    unique: true,
    where: 'slot_at is not null',
  });
  // Reaping finds expired leases without scanning pending or finished runs.
  await adapter.createIndex(db, {
    name: tables.objectName('runs_lease_idx'),
    table: tables.runs,
    columns: 'lease_expires_at',
    where: `status = 'leased'`,
  });
  // Retention deletes the oldest finished runs first.
  await adapter.createIndex(db, {
    name: tables.objectName('runs_finished_idx'),
    table: tables.runs,
    columns: 'finished_at',
    where: 'finished_at is not null',
  });
  // Run lists (newest first, keyset pagination) and the active runs of one job (cancel-many, the
  // non-concurrent check of cron slots).
  await adapter.createIndex(db, {
    name: tables.objectName('runs_created_idx'),
    table: tables.runs,
    columns: 'created_at, id',
  });
  await adapter.createIndex(db, {
    name: tables.objectName('runs_job_active_idx'),
    table: tables.runs,
    columns: 'job_name, status',
    where: `status in ${activeStatuses}`,
  });
}

async function createHistoryTables(db: SqlExecutor, ctx: SqlContext): Promise<void> {
  const { adapter, tables } = ctx;
  const t = typeOf(ctx);
  // Every ended attempt, so a run's history is complete. Deleted with its run by the store's own
  // deletes (run first, then its children, in one transaction). No foreign key: its check costs
  // 6–10 µs per recorded attempt on PostgreSQL, a quarter of the whole per-job budget of a drain,
  // and every attempt row is written in the same statement that fences its run.
  await sql`create table ${sql.table(tables.attempts)} (
    run_id ${t('id')} not null,
    attempt ${t('int')} not null,
    worker_name ${t('name')} not null,
    started_at ${t('time')} not null,
    finished_at ${t('time')} not null,
    outcome ${t('name')} not null,
    error ${t('json')},
    primary key (run_id, attempt)
  )`.execute(db);

  // Handler log lines; the store keeps the newest N per run, trimming by the serial id.
  await sql`create table ${sql.table(tables.logs)} (
    ${sql.raw(adapter.serialPrimaryKey('id'))},
    run_id ${t('id')} not null,
    attempt ${t('int')} not null,
    at ${t('time')} not null,
    level ${t('name')} not null,
    message ${t('text')} not null
  )`.execute(db);
  await adapter.createIndex(db, {
    name: tables.objectName('run_logs_run_idx'),
    table: tables.logs,
    columns: 'run_id, id',
  });
}

async function createScheduleAndWorkerTables(db: SqlExecutor, ctx: SqlContext): Promise<void> {
  const { tables } = ctx;
  const t = typeOf(ctx);
  // One recurring schedule per job; `next_run_at` is advanced by compare-and-set.
  await sql`create table ${sql.table(tables.schedules)} (
    job_name ${t('name')} primary key,
    cron ${t('text')} not null,
    time_zone ${t('name')} not null,
    enabled ${t('bool')} not null,
    allow_concurrent_runs ${t('bool')} not null,
    payload ${t('json')} not null,
    next_run_at ${t('time')},
    last_slot_at ${t('time')},
    last_run_id ${t('id')},
    last_error ${t('text')},
    updated_by ${t('name')} not null,
    created_at ${t('time')} not null,
    updated_at ${t('time')} not null
  )`.execute(db);

  // Worker processes as last seen (for the admin view and operators).
  await sql`create table ${sql.table(tables.workers)} (
    worker_name ${t('name')} primary key,
    queues ${t('json')},
    started_at ${t('time')} not null,
    last_seen_at ${t('time')} not null,
    active_runs ${t('int')} not null
  )`.execute(db);
}
