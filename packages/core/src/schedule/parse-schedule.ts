import { Cron } from 'croner';
import { DurablyError, InvalidArgumentError, ScheduleError } from '../errors.js';
import { describeCron } from './describe-cron.js';
import { parseNaturalInterval } from './natural-interval.js';
import { cronFormatHint, cronerReason, prepareCronPattern } from './prepare-cron-pattern.js';
import { assertTimeZone } from './time-zone.js';

/**
 * A validated recurring schedule: a cron expression evaluated in an IANA zone.
 *
 * DST rule (DESIGN §3, Hangfire Cronos's rule): an expression whose seconds, minutes or hours field
 * contains `*` (with or without a step) is an *interval* expression and fires at every real instant
 * that matches, skipping local times that do not exist and firing on both passes of a repeated hour
 * (`0 * * * *` fires 23 times on a spring-forward day, 25 times on a fall-back day). Every other
 * expression, lists and ranges included (`30 2 * * *`, `30 2,14 * * *`, `0 8-18/2 * * *`), is
 * *fixed-time*: a local time inside a spring-forward gap runs once at the first valid instant after
 * the gap (02:30 on 2026-03-08 in New York runs at 03:00 EDT), and a local time that occurs twice runs
 * once, at its first occurrence. Day-of-month and day-of-week combine with OR when both are
 * restricted (Vixie cron).
 *
 * Slots are whole seconds. All methods are pure: they read no clock.
 */
export interface CronSchedule {
  /** The expression as given (trimmed): cron, a nickname such as `@daily`, or `every 5 minutes`. */
  readonly cron: string;
  /** The validated IANA id, in canonical spelling; `UTC` when none was given. */
  readonly timeZone: string;
  /** The first slot strictly after `after`, or `null` if there is none (never for accepted input). */
  nextAfter(after: Date): Date | null;
  /** The first `count` slots strictly after `after`, ascending. For previews; `count` is 0 to 10 000. */
  nextOccurrences(after: Date, count: number): Date[];
  /**
   * The latest slot in `(after, at]`, or `null` if that window holds none. Used by `skip-missed` after
   * downtime: it searches backwards from `at`, so its cost does not grow with the number of slots
   * missed (a `* * * * * *` schedule after days of downtime answers at once).
   */
  latestAtOrBefore(at: Date, after: Date): Date | null;
  /** Human-readable, e.g. `at 03:00 every day (Europe/Berlin)` or `every 5 minutes (UTC)`. */
  describe(): string;
}

/** What `parseSchedule` takes: `RecurringOptions` minus the run options. */
export interface ScheduleInput {
  /** 5- or 6-field cron (seconds first), a nickname (`@daily`), or `every N minutes|hours|…`. */
  cron: string;
  /** IANA zone id. Default `UTC`, never the process's zone. */
  timeZone?: string;
}

/**
 * croner settings that give DESIGN §3: no 7th (year) field, lists and ranges are fixed-time for DST,
 * day-of-month OR day-of-week. The zone is always passed, because croner defaults to the process's.
 */
const cronerOptions = { mode: '5-or-6-parts', fixedTimeRule: 'no-wildcard', domAndDow: false } as const;

/** The instant every "can this fire at all?" check starts from, so parsing does not depend on now. */
const probeStart = new Date('2026-01-01T00:00:00Z');

/**
 * Validates a recurring schedule at registration and returns an evaluator for it. Everything that can
 * be wrong is decided here, not when the schedule first runs: bad syntax, a 7-field expression, an
 * expression that can never fire (`0 0 30 2 *`), an unknown, Windows or legacy zone id.
 *
 * Natural intervals (`every 5 minutes`) are translated to the cron they stand for; one that does not
 * divide its unit (`every 7 minutes`) is rejected with a suggestion (see `parseNaturalInterval`).
 *
 * @example
 * const nightly = parseSchedule({ cron: '0 3 * * *', timeZone: 'Europe/Berlin' });
 * nightly.nextAfter(new Date('2026-03-28T12:00:00Z')); // 2026-03-29T01:00:00Z (03:00 CEST)
 * nightly.describe(); // 'at 03:00 every day (Europe/Berlin)'
 * @throws ScheduleError with `field` `cron` or `timeZone` and a message saying what to write instead.
 */
export function parseSchedule(input: ScheduleInput): CronSchedule {
  if (typeof input?.cron !== 'string' || input.cron.trim() === '') {
    throw new ScheduleError('cron', `The cron expression is empty. ${cronFormatHint}`);
  }
  const expression = input.cron.trim();
  const timeZone = assertTimeZone(input.timeZone === undefined ? 'UTC' : input.timeZone);
  const natural = parseNaturalInterval(expression);
  const pattern = natural?.cron ?? prepareCronPattern(expression).pattern;
  const cron = createCron(expression, pattern, timeZone);
  if (computeSlot(cron, () => cron.nextRun(probeStart)) === null) {
    throw new ScheduleError(
      'cron',
      `Cron expression "${expression}" can never fire: no date matches it (e.g. February 30), or it ` +
        `matches only local times that do not exist in ${timeZone}. Check its day-of-month and month fields.`,
    );
  }
  const description = natural ? `${natural.description} (${timeZone})` : describeCron(expression, timeZone);
  return createCronSchedule(expression, timeZone, cron, description);
}

function createCron(expression: string, pattern: string, timeZone: string): Cron {
  try {
    return new Cron(pattern, { ...cronerOptions, timezone: timeZone });
  } catch (error) {
    throw new ScheduleError(
      'cron',
      `Invalid cron expression "${expression}": ${cronerReason(error)}. ${cronFormatHint}`,
    );
  }
}

function createCronSchedule(
  expression: string,
  timeZone: string,
  cron: Cron,
  description: string,
): CronSchedule {
  return {
    cron: expression,
    timeZone,
    nextAfter: (after) => computeSlot(cron, () => cron.nextRun(checkDate(after, 'after'))),
    nextOccurrences(after, count) {
      checkDate(after, 'after');
      if (!Number.isInteger(count) || count < 0 || count > 10_000) {
        throw new InvalidArgumentError('count', `must be a whole number from 0 to 10000, got ${count}.`);
      }
      return count === 0 ? [] : computeSlot(cron, () => cron.nextRuns(count, after));
    },
    latestAtOrBefore(at, after) {
      const upper = checkDate(at, 'at').getTime();
      if (upper <= checkDate(after, 'after').getTime()) return null;
      // croner's previousRuns excludes its reference; slots are whole seconds, so `at + 1 ms` makes
      // a slot exactly at `at` count while no later slot can slip in.
      const [latest] = computeSlot(cron, () => cron.previousRuns(1, new Date(upper + 1)));
      return latest !== undefined && latest.getTime() > after.getTime() ? latest : null;
    },
    describe: () => description,
  };
}

function checkDate(value: Date, argument: string): Date {
  if (!(value instanceof Date) || Number.isNaN(value.getTime())) {
    throw new InvalidArgumentError(argument, 'must be a valid Date.');
  }
  return value;
}

/**
 * Runs a croner computation and turns its errors into a `ScheduleError`. An id that passed
 * `assertTimeZone` can still fail here if the runtime's tz data changes (croner resolves zones only
 * when it computes a date); the scheduler then pauses this schedule alone.
 */
function computeSlot<T>(cron: Cron, compute: () => T): T {
  try {
    return compute();
  } catch (error) {
    if (DurablyError.isInstance(error)) throw error;
    const reason = cronerReason(error);
    const field = /time ?zone/i.test(reason) ? 'timeZone' : 'cron';
    throw new ScheduleError(field, `Cannot compute the next slot of cron "${cron.getPattern()}": ${reason}`);
  }
}
