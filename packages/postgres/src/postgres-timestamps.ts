import { parsePayloadJson } from '@durably/core';
import pg from 'pg';

const timestamptzOid = 1184;
const jsonbOid = 3802;
const standardParser = pg.types.getTypeParser(timestamptzOid, 'text') as (text: string) => unknown;

const digit = (text: string, at: number): number => text.charCodeAt(at) - 48;
const twoDigits = (text: string, at: number): number => digit(text, at) * 10 + digit(text, at + 1);

/**
 * Parses a `timestamptz` as a session with `TimeZone=UTC` and the default `DateStyle` prints it:
 * `2026-11-25 23:43:13.123+00` (the fraction optional, up to six digits, trailing zeros dropped).
 * A claim returns five times per run, and `pg`'s general parser (a regular expression and a
 * time-zone offset per value) was a twentieth of a draining worker's CPU. Anything else (another
 * zone, a year before 1000, BC, ±infinity) goes to that general parser.
 */
export function parseUtcTimestamptz(text: string): unknown {
  const length = text.length;
  const fraction = length - 23; // digits after the '.', when there is one
  const fits =
    length >= 22 &&
    text.charCodeAt(length - 3) === 43 && // '+'
    text.charCodeAt(length - 2) === 48 &&
    text.charCodeAt(length - 1) === 48 &&
    text.charCodeAt(4) === 45 && // '-'
    text.charCodeAt(7) === 45 &&
    text.charCodeAt(10) === 32 && // ' '
    text.charCodeAt(13) === 58 && // ':'
    text.charCodeAt(16) === 58 &&
    text.charCodeAt(0) !== 48 && // a year before 1000 would need Date.UTC's two-digit-year care
    (length === 22 || (fraction >= 1 && fraction <= 6 && text.charCodeAt(19) === 46)); // '.'
  if (!fits) return standardParser(text);
  let ms = 0;
  for (let i = 0; i < 3; i += 1) ms = ms * 10 + (i < fraction ? digit(text, 20 + i) : 0);
  const time = Date.UTC(
    digit(text, 0) * 1000 + digit(text, 1) * 100 + twoDigits(text, 2),
    twoDigits(text, 5) - 1,
    twoDigits(text, 8),
    twoDigits(text, 11),
    twoDigits(text, 14),
    twoDigits(text, 17),
    ms,
  );
  return Number.isNaN(time) ? standardParser(text) : new Date(time);
}

/**
 * `pg` type parsers of the claim pool: the fast `timestamptz` parser (its sessions run in UTC), and
 * `jsonb` parsed without `__proto__` keys (`parsePayloadJson`), so a run's stored payload cannot
 * carry one into a handler.
 */
export const claimPoolTypes = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if (format !== 'binary' && oid === timestamptzOid) return parseUtcTimestamptz;
    if (format !== 'binary' && oid === jsonbOid) return parsePayloadJson;
    return pg.types.getTypeParser(oid, format as 'text');
  },
};
