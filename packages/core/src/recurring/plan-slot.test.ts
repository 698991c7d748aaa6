import { describe, expect, it } from 'vitest';
import type { Schedule } from '../model.js';
import { parseSchedule } from '../schedule/parse-schedule.js';
import { planSlot } from './plan-slot.js';

const hourly = parseSchedule({ cron: '0 * * * *' });

function schedule(nextRunAt: string | null, enabled = true): Schedule {
  const at = new Date('2026-01-01T00:00:00Z');
  return {
    jobName: 'job',
    cron: hourly.cron,
    timeZone: hourly.timeZone,
    enabled,
    allowConcurrentRuns: false,
    payload: null,
    nextRunAt: nextRunAt === null ? null : new Date(nextRunAt),
    lastSlotAt: null,
    lastRunId: null,
    lastError: null,
    updatedBy: 'code',
    createdAt: at,
    updatedAt: at,
  };
}

const iso = (plan: ReturnType<typeof planSlot>) =>
  plan === null ? null : { slotAt: plan.slotAt.toISOString(), nextRunAt: plan.nextRunAt?.toISOString() ?? null };

describe('planSlot', () => {
  it('returns null when the schedule is not due, disabled or paused', () => {
    const now = new Date('2026-01-01T10:30:00Z');
    for (const policy of ['skip-missed', 'catch-up'] as const) {
      expect(planSlot({ schedule: schedule('2026-01-01T11:00:00Z'), cron: hourly, now, policy })).toBeNull();
      expect(planSlot({ schedule: schedule('2026-01-01T10:00:00Z', false), cron: hourly, now, policy })).toBeNull();
      expect(planSlot({ schedule: schedule(null), cron: hourly, now, policy })).toBeNull();
    }
  });

  it('runs a slot that is exactly due and moves to the next one', () => {
    const now = new Date('2026-01-01T10:00:00Z');
    const expected = { slotAt: '2026-01-01T10:00:00.000Z', nextRunAt: '2026-01-01T11:00:00.000Z' };
    expect(iso(planSlot({ schedule: schedule('2026-01-01T10:00:00Z'), cron: hourly, now, policy: 'skip-missed' }))).toEqual(expected);
    expect(iso(planSlot({ schedule: schedule('2026-01-01T10:00:00Z'), cron: hourly, now, policy: 'catch-up' }))).toEqual(expected);
  });

  it('skip-missed runs the latest due slot once and skips older ones', () => {
    // Down from 02:00 to 10:30: eight slots missed.
    const plan = planSlot({ schedule: schedule('2026-01-01T03:00:00Z'), cron: hourly, now: new Date('2026-01-01T10:30:00Z'), policy: 'skip-missed' });
    expect(iso(plan)).toEqual({ slotAt: '2026-01-01T10:00:00.000Z', nextRunAt: '2026-01-01T11:00:00.000Z' });
  });

  it('catch-up replays missed slots one per call, oldest first', () => {
    const now = new Date('2026-01-01T05:30:00Z');
    let current = schedule('2026-01-01T03:00:00Z');
    const slots: string[] = [];
    for (;;) {
      const plan = planSlot({ schedule: current, cron: hourly, now, policy: 'catch-up' });
      if (plan === null) break;
      slots.push(plan.slotAt.toISOString());
      current = { ...current, nextRunAt: plan.nextRunAt };
    }
    expect(slots).toEqual(['2026-01-01T03:00:00.000Z', '2026-01-01T04:00:00.000Z', '2026-01-01T05:00:00.000Z']);
    expect(current.nextRunAt?.toISOString()).toBe('2026-01-01T06:00:00.000Z');
  });

  it('skip-missed uses the stored nextRunAt when it lies off the current expression and nothing else is due', () => {
    const plan = planSlot({ schedule: schedule('2026-01-01T10:17:00Z'), cron: hourly, now: new Date('2026-01-01T10:30:00Z'), policy: 'skip-missed' });
    expect(iso(plan)).toEqual({ slotAt: '2026-01-01T10:17:00.000Z', nextRunAt: '2026-01-01T11:00:00.000Z' });
  });

  it('follows the time zone across a DST change', () => {
    const berlin = parseSchedule({ cron: '30 2 * * *', timeZone: 'Europe/Berlin' });
    // 2026-03-29: 02:30 does not exist in Berlin; the slot fires at 03:00 CEST (01:00Z).
    const plan = planSlot({
      schedule: { ...schedule('2026-03-28T01:30:00Z'), cron: berlin.cron, timeZone: berlin.timeZone },
      cron: berlin,
      now: new Date('2026-03-29T12:00:00Z'),
      policy: 'skip-missed',
    });
    expect(iso(plan)).toEqual({ slotAt: '2026-03-29T01:00:00.000Z', nextRunAt: '2026-03-30T00:30:00.000Z' });
  });
});
