import { ScheduleError } from '../errors.js';

/** A natural interval form translated to cron. */
export interface NaturalInterval {
  /** The equivalent croner pattern (5 or 6 fields). */
  readonly cron: string;
  /** Human-readable, e.g. `every 5 minutes`. */
  readonly description: string;
}

type Unit = 'second' | 'minute' | 'hour' | 'day';

const unitWords: ReadonlyMap<string, Unit> = new Map([
  ...['s', 'sec', 'secs', 'second', 'seconds'].map((word) => [word, 'second'] as const),
  ...['m', 'min', 'mins', 'minute', 'minutes'].map((word) => [word, 'minute'] as const),
  ...['h', 'hr', 'hrs', 'hour', 'hours'].map((word) => [word, 'hour'] as const),
  ...['d', 'day', 'days'].map((word) => [word, 'day'] as const),
]);

/** How many of each unit fit in the next larger one; a step must divide it for cron to be exact. */
const unitsPerParent: Record<Exclude<Unit, 'day'>, number> = { second: 60, minute: 60, hour: 24 };

const parentPhrase = { second: 'a minute', minute: 'an hour', hour: 'a day' } as const;

const naturalPattern = /^every\s+(?:(\d+)\s*)?([a-z]+)$/i;

/**
 * Reads the natural interval forms `every N seconds|minutes|hours|days` (also `sec`, `min`, `hr`, `s`,
 * `m`, `h`, `d`), `every second|minute|hour|day`, and translates them to cron in the schedule's zone:
 *
 * - `every 15 seconds` → `*\/15 * * * * *`, `every 5 minutes` → `*\/5 * * * *`,
 *   `every 6 hours` → `0 *\/6 * * *`, `every day` → `0 0 * * *` (local midnight);
 *   `every 120 minutes` is read as `every 2 hours`.
 * - Slots are aligned to the zone's clock (`every 6 hours` fires at 00:00, 06:00, 12:00, 18:00), like
 *   the cron they stand for; they are interval expressions, so across DST they fire at every real
 *   matching instant. Use `timeZone: 'UTC'` (the default) for evenly spaced real-time slots.
 *
 * An interval that does not divide its next unit evenly (`every 7 minutes`, `every 5 hours`,
 * `every 2 days`) is rejected rather than approximated: cron restarts its step at every hour/day/month,
 * so `*\/7` would fire at :56 and again at :00. Slots must stay aligned to a clock so that a slot has
 * the same time on every worker (it is the uniqueness key of a recurring run). The error suggests the
 * nearest divisors and the equivalent cron, whose restart the user then chooses knowingly.
 *
 * @returns the translation, or `undefined` when `text` does not start with `every` (then it is cron).
 * @throws ScheduleError('cron', …) for an `every …` text that cannot be translated exactly.
 */
export function parseNaturalInterval(text: string): NaturalInterval | undefined {
  const trimmed = text.trim();
  if (!/^every\b/i.test(trimmed)) return undefined;
  const match = naturalPattern.exec(trimmed.replace(/\s+/g, ' '));
  const unit = match?.[2] ? unitWords.get(match[2].toLowerCase()) : undefined;
  if (!match || !unit) {
    throw new ScheduleError(
      'cron',
      `Cannot read "${trimmed}" as an interval. Write "every N seconds|minutes|hours" or "every day" ` +
        '(e.g. "every 5 minutes"), or give a cron expression such as "*/5 * * * *".',
    );
  }
  const count = match[1] === undefined ? 1 : Number(match[1]);
  if (!Number.isSafeInteger(count) || count < 1) {
    throw new ScheduleError('cron', `"${trimmed}": the interval must be a whole number of at least 1.`);
  }
  return translate(trimmed, count, unit);
}

function translate(text: string, count: number, unit: Unit): NaturalInterval {
  // Promote exact multiples (every 120 minutes = every 2 hours) before checking divisibility.
  if (unit !== 'day' && count % unitsPerParent[unit] === 0) {
    return translate(text, count / unitsPerParent[unit], nextUnit(unit));
  }
  if (unit === 'day') {
    if (count === 1) return { cron: '0 0 * * *', description: 'every day at 00:00' };
    throw notExact(text, 'a day-of-month step restarts on the 1st of every month', `0 0 */${count} * *`);
  }
  if (unitsPerParent[unit] % count !== 0) {
    const alternatives = divisorsNear(unitsPerParent[unit], count).map((n) => `"every ${n} ${unit}s"`);
    throw notExact(
      text,
      `${count} ${unit}s do not divide ${parentPhrase[unit]} evenly`,
      cronFor(unit, count),
      alternatives,
    );
  }
  const description = count === 1 ? `every ${unit}` : `every ${count} ${unit}s`;
  return { cron: cronFor(unit, count), description };
}

function cronFor(unit: Exclude<Unit, 'day'>, count: number): string {
  const step = count === 1 ? '*' : `*/${count}`;
  if (unit === 'second') return `${step} * * * * *`;
  if (unit === 'minute') return `${step} * * * *`;
  return `0 ${step} * * *`;
}

function nextUnit(unit: Exclude<Unit, 'day'>): Unit {
  return unit === 'second' ? 'minute' : unit === 'minute' ? 'hour' : 'day';
}

function divisorsNear(whole: number, count: number): number[] {
  const divisors = Array.from({ length: whole }, (_, index) => index + 1).filter((n) => whole % n === 0);
  const below = divisors.filter((n) => n < count).pop();
  const above = divisors.find((n) => n > count);
  return [below, above].filter((n): n is number => n !== undefined);
}

function notExact(text: string, reason: string, cron: string, alternatives: string[] = []): ScheduleError {
  const nearest = alternatives.length > 0 ? ` Use ${alternatives.join(' or ')} instead, or` : ' Instead,';
  return new ScheduleError(
    'cron',
    `"${text}" cannot be scheduled exactly: ${reason}, so the slots would not stay evenly spaced.` +
      `${nearest} write a cron expression such as "${cron}" if its restart at each boundary is acceptable.`,
  );
}
