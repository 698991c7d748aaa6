import type { JobDefinition } from '../job-definition.js';
import type { Schedule } from '../model.js';
import { assertRecurringPayload } from '../registry/validate-job-definition.js';
import { parseSchedule, type CronSchedule } from '../schedule/parse-schedule.js';
import type { ServiceDeps } from '../services/service-deps.js';
import type { ScheduleUpdateParams } from '../store.js';
import { jsonEqual } from './json-equal.js';

/** What registration sync did, by job name. */
export interface SyncReport {
  /** New schedules created from code. */
  inserted: string[];
  /** Stored schedules changed from code. */
  updated: string[];
  /** Stored schedules left exactly as they were. */
  kept: string[];
  /** Stored schedules with no recurring definition in code, disabled now (`orphanedJobBehavior: disable`). */
  disabledOrphans: string[];
  /** Stored schedules with no recurring definition in code, left alone (`ignore`, or already disabled). */
  ignoredOrphans: string[];
  /**
   * Schedules whose stored cron, time zone or enabled flag differ from code and were kept
   * (`keep-database`): usually admin overrides; worth a log line, since a cron changed in code does
   * not apply to them until `update-from-code` or an admin change.
   */
  keptDifferentFromCode: string[];
}

/**
 * `lastError` of a schedule that registration sync disabled because its job left the code. When the
 * job comes back (a rename reverted), sync enables it again, since no admin disabled it.
 */
export const orphanedScheduleNote = 'Disabled at startup: no recurring job with this name is defined in code.';

/**
 * Registration sync, run at startup: reconciles the recurring job definitions in code with the
 * schedules in the store, following `options.recurring.registrationSync`.
 *
 * - A definition without a stored schedule is inserted (`updatedBy: 'code'`), with `nextRunAt` the
 *   first slot after the store's now when enabled.
 * - A definition with a stored schedule, `existingJobBehavior`:
 *   - `keep-database` (default) keeps the stored cron, time zone and enabled flag, so admin
 *     overrides survive redeploys. The payload and `allowConcurrentRuns`, which only code sets, are
 *     still refreshed from code.
 *   - `update-from-code` overwrites cron, time zone, enabled, `allowConcurrentRuns` and payload
 *     (`updatedBy: 'code'`); `nextRunAt` is recomputed only when the timing changed, so a due slot
 *     is not lost by a restart.
 * - A stored schedule without a recurring definition in code (removed, renamed, or no longer
 *   recurring), `orphanedJobBehavior`: `disable` (default) disables it and clears `nextRunAt`;
 *   `ignore` leaves it. A rename is therefore an orphan plus a new schedule.
 *
 * Every recurring payload (schema included) is checked before anything is written. Safe when several
 * workers start at once: inserts are insert-if-absent and every update writes the same values.
 */
export async function syncSchedules(deps: ServiceDeps): Promise<SyncReport> {
  const { store, registry, options } = deps;
  const payloads = new Map<string, string>();
  for (const job of registry.recurring) {
    payloads.set(job.name, await assertRecurringPayload(job, options.payloadMaxBytes));
  }
  const report: SyncReport = { inserted: [], updated: [], kept: [], disabledOrphans: [], ignoredOrphans: [], keptDifferentFromCode: [] };
  const now = await store.clockNow();
  for (const job of registry.recurring) {
    const { outcome, differsFromCode } = await syncOne(deps, job, registry.schedule(job.name)!, payloads.get(job.name)!, now);
    report[outcome].push(job.name);
    if (differsFromCode) report.keptDifferentFromCode.push(job.name);
  }
  const inCode = new Set(registry.recurring.map((job) => job.name));
  for (const schedule of await store.scheduleList({ includeDisabled: true })) {
    if (inCode.has(schedule.jobName)) continue;
    const disable = options.recurring.registrationSync.orphanedJobBehavior === 'disable';
    if (disable && (schedule.enabled || schedule.nextRunAt !== null)) {
      await store.scheduleUpdate({
        jobName: schedule.jobName,
        enabled: false,
        nextRunAt: null,
        lastError: orphanedScheduleNote,
        updatedBy: 'code',
      });
      report.disabledOrphans.push(schedule.jobName);
    } else {
      report.ignoredOrphans.push(schedule.jobName);
    }
  }
  return report;
}

interface SyncOneResult {
  outcome: 'inserted' | 'updated' | 'kept';
  differsFromCode: boolean;
}

async function syncOne(
  deps: ServiceDeps,
  job: JobDefinition<unknown>,
  cron: CronSchedule,
  payloadJson: string,
  now: Date,
): Promise<SyncOneResult> {
  const recurring = job.recurring!;
  // Insert first, read after: insert-if-absent is atomic, a read-then-insert would race other workers.
  const inserted = await deps.store.scheduleInsert({
    schedule: {
      jobName: job.name,
      cron: cron.cron,
      timeZone: cron.timeZone,
      enabled: recurring.enabled,
      allowConcurrentRuns: recurring.allowConcurrentRuns,
      payloadJson,
      nextRunAt: recurring.enabled ? cron.nextAfter(now) : null,
      updatedBy: 'code',
    },
  });
  if (inserted) return { outcome: 'inserted', differsFromCode: false };
  const stored = await deps.store.scheduleGet({ jobName: job.name });
  // Deleted between the two calls (an admin, or a racing worker's test cleanup): try once more.
  if (stored === undefined) return syncOne(deps, job, cron, payloadJson, now);
  const update = plannedUpdate(deps, job, cron, payloadJson, now, stored);
  if (update !== undefined) await deps.store.scheduleUpdate(update);
  const enabled = update?.enabled ?? stored.enabled;
  const cronNow = update?.cron ?? stored.cron;
  const zoneNow = update?.timeZone ?? stored.timeZone;
  return {
    outcome: update === undefined ? 'kept' : 'updated',
    differsFromCode: cronNow !== cron.cron || zoneNow !== cron.timeZone || enabled !== recurring.enabled,
  };
}

/** The update that brings `stored` in line with code under the configured behaviour, if any. */
function plannedUpdate(
  deps: ServiceDeps,
  job: JobDefinition<unknown>,
  cron: CronSchedule,
  payloadJson: string,
  now: Date,
  stored: Schedule,
): ScheduleUpdateParams | undefined {
  const recurring = job.recurring!;
  const fromCode = deps.options.recurring.registrationSync.existingJobBehavior === 'update-from-code';
  const returningOrphan = !stored.enabled && stored.lastError === orphanedScheduleNote;
  const update: ScheduleUpdateParams = { jobName: job.name, updatedBy: fromCode ? 'code' : stored.updatedBy };
  let changed = false;
  if (stored.allowConcurrentRuns !== recurring.allowConcurrentRuns) {
    update.allowConcurrentRuns = recurring.allowConcurrentRuns;
    changed = true;
  }
  if (!jsonEqual(stored.payload, JSON.parse(payloadJson))) {
    update.payloadJson = payloadJson;
    changed = true;
  }
  const timingChanged = fromCode && (stored.cron !== cron.cron || stored.timeZone !== cron.timeZone);
  const enabled = fromCode || returningOrphan ? recurring.enabled : stored.enabled;
  if (timingChanged) {
    update.cron = cron.cron;
    update.timeZone = cron.timeZone;
  }
  if (timingChanged || enabled !== stored.enabled || returningOrphan) {
    update.enabled = enabled;
    update.nextRunAt = enabled ? nextSlot(cron, stored, timingChanged, now) : null;
    update.lastError = null;
    if (returningOrphan) update.updatedBy = 'code';
    changed = true;
  }
  return changed ? update : undefined;
}

/**
 * The next slot after a change of timing or of the enabled flag. An unchanged, enabled schedule keeps
 * its stored `nextRunAt` (a slot due during the restart still runs). Otherwise the slot is computed
 * from the expression that stays stored: code's when it was written, else the stored one.
 */
function nextSlot(cron: CronSchedule, stored: Schedule, timingChanged: boolean, now: Date): Date | null {
  if (!timingChanged && stored.enabled && stored.nextRunAt !== null) return stored.nextRunAt;
  const sameTiming = timingChanged || (stored.cron === cron.cron && stored.timeZone === cron.timeZone);
  return (sameTiming ? cron : parseSchedule({ cron: stored.cron, timeZone: stored.timeZone })).nextAfter(now);
}
