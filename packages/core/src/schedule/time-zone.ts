import { Temporal } from '@js-temporal/polyfill';
import { ScheduleError } from '../errors.js';
import { suggestByCity, suggestForLegacyZone, suggestForWindowsZone } from './zone-suggestions.js';

/** `UTC+5`, `GMT-03:30`, `+05:00`, `-0800`: a fixed UTC offset rather than a zone id. */
const offsetPattern = /^(?:utc|gmt)?\s*([+\-\u2212])\s*(\d{1,2})(?::?(\d{2}))?$/i;

/**
 * Validates an IANA time-zone id and returns its canonical spelling (case as in the tz database, so
 * `america/new_york` → `America/New_York`). Links are kept as written (`Asia/Calcutta` stays), because
 * they name the same rules and users recognise what they typed.
 *
 * Accepted: every `Area/Location` id the runtime's tz database knows (`Europe/Berlin`,
 * `America/Argentina/Buenos_Aires`, `US/Eastern`), `UTC`, and the `Etc/…` ids, including the fixed
 * offsets `Etc/GMT+5` (note POSIX's inverted sign: `Etc/GMT+5` is UTC-5). `Etc/GMT±N` is accepted
 * because choosing it is deliberate; it has no daylight saving.
 *
 * Rejected with a `ScheduleError('timeZone', …)` that suggests what to use instead:
 * - empty or unknown ids;
 * - Windows ids such as `Eastern Standard Time` (suggests `America/New_York`);
 * - legacy abbreviations and POSIX-style ids without an area (`EST`, `CET`, `PST8PDT`, `HST`, `GMT`,
 *   `Japan`): several are fixed offsets that never switch to summer time, which is rarely what was
 *   meant, so a region zone is suggested (`EST` → `America/New_York`);
 * - raw offsets (`+05:00`, `UTC+5`), which suggest a region zone or the equivalent `Etc/GMT` id.
 *
 * @example
 * assertTimeZone('europe/berlin'); // 'Europe/Berlin'
 * assertTimeZone('EST');           // throws: use a region zone such as "America/New_York"
 */
export function assertTimeZone(zone: string): string {
  if (typeof zone !== 'string' || zone.trim() === '') {
    throw new ScheduleError(
      'timeZone',
      'The time zone is empty. Give an IANA zone id such as "Europe/Berlin", or leave it unset for UTC.',
    );
  }
  const id = zone.trim();
  rejectWindowsZone(id);
  rejectOffset(id);
  const canonical = resolveZone(id);
  if (canonical !== 'UTC' && !canonical.includes('/')) rejectLegacyZone(id, canonical);
  return canonical;
}

function rejectWindowsZone(id: string): void {
  const suggestion = suggestForWindowsZone(id);
  if (suggestion === undefined && !/\bstandard time\b|\bdaylight time\b/i.test(id)) return;
  const hint = suggestion
    ? `Use "${suggestion}" instead`
    : 'Use the IANA id it maps to (see the Unicode CLDR windowsZones table), e.g. "Europe/Berlin"';
  throw new ScheduleError(
    'timeZone',
    `Time zone "${id}" is a Windows time-zone id; Durably accepts IANA ids only. ${hint}.`,
  );
}

function rejectOffset(id: string): void {
  const match = offsetPattern.exec(id);
  if (!match) return;
  const [, sign, hours, minutes] = match;
  const wholeHours = minutes === undefined || minutes === '00';
  // Etc/GMT ids invert the sign (POSIX): UTC+5 is Etc/GMT-5.
  const etc = wholeHours ? `Etc/GMT${sign === '+' ? '-' : '+'}${Number(hours)}` : undefined;
  const alternative = etc ? `, or "${etc}" if you really want a fixed offset without daylight saving` : '';
  throw new ScheduleError(
    'timeZone',
    `Time zone "${id}" is a UTC offset, not a zone id; offsets do not follow daylight saving. ` +
      `Use a region zone such as "Europe/Berlin" or "America/New_York"${alternative}.`,
  );
}

function rejectLegacyZone(id: string, canonical: string): never {
  const known = suggestForLegacyZone(id);
  const target = linkTarget(id);
  const suggestions = known.length > 0 ? known : target ? [target] : ['Europe/Berlin', 'UTC'];
  const hint = suggestions.map((suggestion) => `"${suggestion}"`).join(' or ');
  throw new ScheduleError(
    'timeZone',
    `Time zone "${canonical}" is a legacy abbreviation or fixed-offset id, which may not follow the ` +
      `daylight-saving rules of the place you mean. Use a region zone such as ${hint} instead.`,
  );
}

/** Resolves `id` through Temporal (for the spelling) and Intl (which croner computes with). */
function resolveZone(id: string): string {
  let canonical: string;
  try {
    canonical = Temporal.Now.zonedDateTimeISO(id).timeZoneId;
    new Intl.DateTimeFormat('en-US', { timeZone: canonical });
  } catch {
    const suggestion = suggestByCity(id, Intl.supportedValuesOf('timeZone'));
    const hint = suggestion
      ? `Did you mean "${suggestion}"?`
      : 'Use an IANA id such as "Europe/Berlin", "America/New_York" or "UTC" (see the tz database list).';
    throw new ScheduleError('timeZone', `Unknown time zone "${id}". ${hint}`);
  }
  return canonical;
}

/** The area/location zone that ICU links a legacy id to (`Japan` → `Asia/Tokyo`), if any. */
function linkTarget(id: string): string | undefined {
  try {
    const target = new Intl.DateTimeFormat('en-US', { timeZone: id }).resolvedOptions().timeZone;
    return target.includes('/') ? target : undefined;
  } catch {
    return undefined;
  }
}
