import { CronPattern } from 'croner';
import { ScheduleError } from '../errors.js';

const fiveFieldNames = ['minute', 'hour', 'day-of-month', 'month', 'day-of-week'] as const;
const sixFieldNames = ['second', ...fiveFieldNames] as const;

/** The nicknames we accept, as in Vixie cron and croner. `@reboot` has no meaning for a schedule. */
export const cronNicknames: Readonly<Record<string, string>> = {
  '@yearly': '0 0 1 1 *',
  '@annually': '0 0 1 1 *',
  '@monthly': '0 0 1 * *',
  '@weekly': '0 0 * * 0',
  '@daily': '0 0 * * *',
  '@midnight': '0 0 * * *',
  '@hourly': '0 * * * *',
};

/** The format hint every cron error ends with. */
export const cronFormatHint =
  'Durably accepts 5 fields "minute hour day-of-month month day-of-week" (e.g. "0 3 * * *"), 6 fields ' +
  'with seconds first (e.g. "*/20 * * * * *"), a nickname such as "@daily", or an interval such as ' +
  '"every 5 minutes".';

/** A cron expression checked field by field and ready for croner. */
export interface PreparedCronPattern {
  /** What croner is given: the expression, with stepped ranges in time fields written out as lists. */
  readonly pattern: string;
  /** The fields as written (5 or 6), or those a nickname stands for. */
  readonly fields: readonly string[];
}

/**
 * Checks a 5- or 6-field cron expression (or a nickname such as `@daily`) and returns the pattern
 * to give croner. Each field is checked on its own first, so an error names the field at fault, which
 * croner's messages do not always do.
 *
 * One rewrite happens: a stepped range in the seconds, minutes or hours field (`8-18/2`) becomes the
 * list it stands for (`8,10,12,14,16,18`). DESIGN §3 classifies an expression as an interval only when
 * one of those fields contains `*`; croner's `fixedTimeRule: 'no-wildcard'` also counts any `/` as an
 * interval, so without the rewrite `0 8-18/2 * * *` would skip 02:00-like times in a DST gap instead of
 * running once after it.
 *
 * @throws ScheduleError('cron', …) naming the expression, the field and the accepted format.
 */
export function prepareCronPattern(expression: string): PreparedCronPattern {
  const fields = expandNickname(expression).split(/\s+/);
  if (fields.length !== 5 && fields.length !== 6) {
    const extra = fields.length === 7 ? ' A 7th (year) field is not supported: remove it.' : '';
    throw new ScheduleError(
      'cron',
      `Invalid cron expression "${expression}": it has ${fields.length} field${fields.length === 1 ? '' : 's'}.` +
        `${extra} ${cronFormatHint}`,
    );
  }
  const names = fields.length === 6 ? sixFieldNames : fiveFieldNames;
  fields.forEach((field, index) => checkField(expression, fields.length, index, field, names[index] ?? ''));
  const timeFieldCount = fields.length === 6 ? 3 : 2;
  const rewritten = fields.map((field, index) =>
    index < timeFieldCount ? expandSteppedRanges(field) : field,
  );
  return { pattern: rewritten.join(' '), fields };
}

function expandNickname(expression: string): string {
  if (!expression.startsWith('@')) return expression;
  const pattern = cronNicknames[expression.toLowerCase()];
  if (pattern !== undefined) return pattern;
  throw new ScheduleError(
    'cron',
    `Unknown cron nickname "${expression}": use one of ${Object.keys(cronNicknames).join(', ')}. ` +
      cronFormatHint,
  );
}

/** Parses one field with every other field `*`, to find which field croner objects to. */
function checkField(
  expression: string,
  fieldCount: number,
  index: number,
  field: string,
  name: string,
): void {
  const probe = Array.from({ length: fieldCount }, (_, position) => (position === index ? field : '*'));
  try {
    new CronPattern(probe.join(' '), undefined, { mode: '5-or-6-parts' });
  } catch (error) {
    throw new ScheduleError(
      'cron',
      `Invalid cron expression "${expression}": the ${name} field "${field}" is not valid ` +
        `(${cronerReason(error)}). ${cronFormatHint}`,
    );
  }
}

/** croner's message without its `CronPattern:` prefix. */
export function cronerReason(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.replace(/^Cron\w*:\s*/, '').replace(/\.+$/, '');
}

/** `8-18/2` → `8,10,12,14,16,18`; every other list item is kept as written. */
function expandSteppedRanges(field: string): string {
  if (field.includes('*') || !field.includes('/')) return field;
  return field
    .split(',')
    .map((item) => {
      const match = /^(\d+)-(\d+)\/(\d+)$/.exec(item);
      if (!match) return item;
      const [low, high, step] = [Number(match[1]), Number(match[2]), Number(match[3])];
      const values: number[] = [];
      for (let value = low; value <= high; value += step) values.push(value);
      return values.join(',');
    })
    .join(',');
}
