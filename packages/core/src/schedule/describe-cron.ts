import { cronNicknames } from './prepare-cron-pattern.js';

const dayNames = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const dayAbbreviations = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];
const monthNames = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];
const monthAbbreviations = monthNames.map((name) => name.slice(0, 3).toLowerCase());

const number = /^\d+$/;
const step = /^\*\/(\d+)$/;

/**
 * Describes a cron expression in English for logs, the CLI and the dashboard, e.g.
 * `at 03:00 every day (Europe/Berlin)` or `every 5 minutes (UTC)`. Common shapes are spelled out;
 * anything else falls back to ``cron `0 0 1,15 * 1` in Europe/Berlin``. It never throws.
 */
export function describeCron(expression: string, timeZone: string): string {
  const nickname = cronNicknames[expression.toLowerCase()];
  const fields = (nickname ?? expression).split(/\s+/);
  const [second, minute, hour, dayOfMonth, month, dayOfWeek] =
    fields.length === 5 ? ['0', ...fields] : fields;
  const phrase =
    second !== undefined && minute !== undefined && hour !== undefined
      ? describeFields(second, minute, hour, [dayOfMonth ?? '', month ?? '', dayOfWeek ?? ''])
      : undefined;
  return phrase === undefined ? `cron \`${expression}\` in ${timeZone}` : `${phrase} (${timeZone})`;
}

function describeFields(
  second: string,
  minute: string,
  hour: string,
  dateFields: string[],
): string | undefined {
  const everyDay = dateFields.every((field) => field === '*' || field === '?');
  if (everyDay) {
    const repeating = describeRepeating(second, minute, hour);
    if (repeating !== undefined) return repeating;
  }
  if (!number.test(second) || !number.test(minute) || !number.test(hour)) return undefined;
  const time = clockTime(Number(hour), Number(minute), Number(second));
  const days = everyDay ? 'every day' : describeDays(dateFields);
  return days === undefined ? undefined : `at ${time} ${days}`;
}

/** Shapes that repeat within a day: every N seconds/minutes/hours. */
function describeRepeating(second: string, minute: string, hour: string): string | undefined {
  if (second === '*' && minute === '*' && hour === '*') return 'every second';
  const secondStep = step.exec(second);
  if (secondStep && minute === '*' && hour === '*') return plural(Number(secondStep[1]), 'second');
  if (second !== '0') return undefined;
  if (minute === '*' && hour === '*') return 'every minute';
  const minuteStep = step.exec(minute);
  if (minuteStep && hour === '*') return plural(Number(minuteStep[1]), 'minute');
  if (!number.test(minute)) return undefined;
  const atMinute = Number(minute) === 0 ? '' : ` at minute ${Number(minute)}`;
  if (hour === '*') return `every hour${atMinute}`;
  const hourStep = step.exec(hour);
  return hourStep ? `${plural(Number(hourStep[1]), 'hour')}${atMinute}` : undefined;
}

function describeDays([dayOfMonth, month, dayOfWeek]: string[]): string | undefined {
  const anyMonth = month === '*' || month === '?';
  const anyDayOfMonth = dayOfMonth === '*' || dayOfMonth === '?';
  const anyDayOfWeek = dayOfWeek === '*' || dayOfWeek === '?';
  if (anyMonth && anyDayOfMonth && !anyDayOfWeek) {
    const days = listNames(dayOfWeek ?? '', dayNames, dayAbbreviations, 0);
    return days === undefined ? undefined : `every ${days}`;
  }
  if (!anyDayOfWeek) return undefined;
  const day =
    dayOfMonth?.toUpperCase() === 'L'
      ? 'the last day'
      : number.test(dayOfMonth ?? '')
        ? `day ${Number(dayOfMonth)}`
        : undefined;
  if (day === undefined) return undefined;
  if (anyMonth) return `on ${day} of every month`;
  const months = listNames(month ?? '', monthNames, monthAbbreviations, 1);
  return months === undefined ? undefined : `on ${day} of ${months}`;
}

/** `1,3` → `Monday and Wednesday`, `mon-fri` → `Monday to Friday`; undefined for steps or `L`/`#`. */
function listNames(
  field: string,
  names: string[],
  abbreviations: string[],
  first: number,
): string | undefined {
  const nameOf = (token: string): string | undefined => {
    const index = number.test(token) ? Number(token) - first : abbreviations.indexOf(token.toLowerCase());
    return names[index === names.length ? 0 : index];
  };
  const items = field.split(',').map((item) => {
    const [from, to, ...rest] = item.split('-');
    if (rest.length > 0 || from === undefined) return undefined;
    const start = nameOf(from);
    const end = to === undefined ? start : nameOf(to);
    return start === undefined || end === undefined
      ? undefined
      : to === undefined
        ? start
        : `${start} to ${end}`;
  });
  if (items.some((item) => item === undefined)) return undefined;
  return items.length === 1 ? items[0] : `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`;
}

function plural(count: number, unit: string): string {
  return count === 1 ? `every ${unit}` : `every ${count} ${unit}s`;
}

function clockTime(hour: number, minute: number, second: number): string {
  const pad = (value: number) => String(value).padStart(2, '0');
  return `${pad(hour)}:${pad(minute)}${second === 0 ? '' : `:${pad(second)}`}`;
}
