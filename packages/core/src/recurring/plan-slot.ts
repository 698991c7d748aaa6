import type { CatchUpPolicy } from '../options/durably-options.js';
import type { Schedule } from '../model.js';
import type { CronSchedule } from '../schedule/parse-schedule.js';

export interface PlanSlotInput {
  /** The schedule as read from the store. */
  schedule: Schedule;
  /** Its parsed cron expression and zone. */
  cron: CronSchedule;
  /** The store's now (from `scheduleListDue`). */
  now: Date;
  policy: CatchUpPolicy;
}

/** The slot to materialise and the schedule's `nextRunAt` afterwards (`null`: no further slot). */
export interface SlotPlan {
  slotAt: Date;
  nextRunAt: Date | null;
}

/**
 * Decides which slot of a due schedule to materialise now. Pure: the caller passes the store's
 * now and then calls `scheduleMaterialize` with `expectedNextRunAt = schedule.nextRunAt`, so only one
 * worker applies the plan.
 *
 * Returns `null` when nothing is due: the schedule is disabled, paused (`nextRunAt` null), or its
 * `nextRunAt` is after `now`.
 *
 * - `skip-missed` (default): materialises the **latest** slot at or before `now` — the current due
 *   slot, run once, late — and skips the older ones missed during downtime; `nextRunAt` becomes the
 *   first slot after `now`. This is the reference's "jump to the current due slot, then continue with
 *   future slots": after a night of downtime an hourly job runs once, not eight times. When the stored
 *   `nextRunAt` lies on no slot of the current expression (the expression changed behind it) and no
 *   slot falls between it and `now`, the stored `nextRunAt` itself is the slot.
 * - `catch-up`: materialises the stored `nextRunAt` slot and advances to the slot after it, even if
 *   that one is also past: missed slots are replayed one per scheduler loop, oldest first, each run
 *   with its own `slotAt`, so a backlog drains at the loop's pace instead of in one burst.
 */
export function planSlot(input: PlanSlotInput): SlotPlan | null {
  const { schedule, cron, now, policy } = input;
  const due = schedule.nextRunAt;
  if (!schedule.enabled || due === null || due.getTime() > now.getTime()) return null;
  if (policy === 'catch-up') return { slotAt: due, nextRunAt: cron.nextAfter(due) };
  // (due - 1 ms, now] includes `due` itself: the stored slot counts when it is the latest one.
  const latest = cron.latestAtOrBefore(now, new Date(due.getTime() - 1));
  return { slotAt: latest ?? due, nextRunAt: cron.nextAfter(now) };
}
