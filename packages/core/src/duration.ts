import { ConfigurationError } from './errors.js';

const unitMs = { d: 86_400_000, h: 3_600_000, m: 60_000, s: 1_000, ms: 1 } as const;
type Unit = keyof typeof unitMs;
/** Units from largest to smallest: a compound duration must list them in this order, each once. */
const unitOrder: readonly Unit[] = ['d', 'h', 'm', 's', 'ms'];

const bareNumber = /^\d+(?:\.\d+)?$/;
// .NET TimeSpan "c" format: [d.]hh:mm[:ss[.fffffff]] — what appsettings.json files from the
// reference contain ("00:00:05", "01:00:00", "1.02:00:00").
const timeSpan = /^(?:(\d+)\.)?(\d{1,2}):(\d{1,2})(?::(\d{1,2})(?:\.(\d{1,7}))?)?$/;
const compoundPart = /(\d+(?:\.\d+)?)\s*(ms|d|h|m|s)/iy;

/**
 * Reads a duration option and returns it in **milliseconds**.
 *
 * Accepts a number (already milliseconds, finite and >= 0), a bare numeric string (milliseconds),
 * a unit string (`"500ms"`, `"5s"`, `"10m"`, `"1h"`, `"1d"`, compound `"1h30m"`, units from
 * largest to smallest, each once) or a .NET TimeSpan (`"00:00:05"`, `"01:00:00"`, `"1.02:00:00"`
 * for 1 day 2 hours, optional fraction of a second `"00:00:01.5"`).
 *
 * @param value the raw option value
 * @param key the option's dotted path, used in the error
 * @throws ConfigurationError naming `key` when the value is negative, not finite or unreadable.
 * @example
 * parseDuration('1h30m', 'retryMaxDelay'); // 5_400_000
 * parseDuration('00:00:05', 'retryDelay'); // 5_000
 */
export function parseDuration(value: number | string, key: string): number {
  const ms =
    typeof value === 'number' ? value : typeof value === 'string' ? parseText(value.trim()) : undefined;
  if (ms === undefined || !Number.isFinite(ms) || ms < 0 || ms > Number.MAX_SAFE_INTEGER) {
    throw new ConfigurationError(
      key,
      `cannot read ${describe(value)} as a duration (it must be >= 0); ${hint}`,
    );
  }
  return ms;
}

const hint = 'use "5s", "00:00:05" or a number of milliseconds';

function describe(value: unknown): string {
  return typeof value === 'string' ? JSON.stringify(value) : String(value);
}

function parseText(text: string): number | undefined {
  if (text === '') return undefined;
  if (bareNumber.test(text)) return Number(text);
  return parseTimeSpan(text) ?? parseCompound(text);
}

function parseTimeSpan(text: string): number | undefined {
  const match = timeSpan.exec(text);
  if (!match) return undefined;
  const [, days = '0', hours = '0', minutes = '0', seconds = '0', fraction = ''] = match;
  // .NET reads "25:00:00" as 25 days; rejecting out-of-range fields avoids that surprise.
  if (Number(hours) > 23 || Number(minutes) > 59 || Number(seconds) > 59) return undefined;
  const fractionMs = fraction === '' ? 0 : Number(`0.${fraction}`) * 1000;
  return (
    Number(days) * unitMs.d +
    Number(hours) * unitMs.h +
    Number(minutes) * unitMs.m +
    Number(seconds) * 1000 +
    fractionMs
  );
}

function parseCompound(text: string): number | undefined {
  compoundPart.lastIndex = 0;
  let total = 0;
  let previousRank = -1;
  while (compoundPart.lastIndex < text.length) {
    const match = compoundPart.exec(text);
    if (!match) return undefined;
    const unit = (match[2] ?? '').toLowerCase() as Unit;
    const rank = unitOrder.indexOf(unit);
    if (rank <= previousRank) return undefined; // "30m1h" or "5s5s": almost certainly a typo
    previousRank = rank;
    total += Number(match[1]) * unitMs[unit];
    skipSpaces(text);
  }
  return previousRank === -1 ? undefined : total;
}

function skipSpaces(text: string): void {
  while (text[compoundPart.lastIndex] === ' ') compoundPart.lastIndex += 1;
}
