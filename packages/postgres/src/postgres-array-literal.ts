/**
 * PostgreSQL array literals (`{…}`) built directly, for the bulk statements' array parameters
 * (`$1::uuid[]`, …). `pg` serialises a JS array element by element through its generic value
 * preparation; for the 11–13 arrays of a 500-row finish or a 1 000-row insert that was a fifth of the
 * Node time of a bulk enqueue, which runs before the statement is sent. The database parses the
 * literal exactly as it parses `pg`'s. `null` elements become `NULL`.
 */

const needsEscape = /[\\"]/;

/** Text elements, each double-quoted (so commas, braces, spaces and the word NULL stay text). */
export function textArray(values: readonly (string | null)[]): string {
  let literal = '{';
  for (let index = 0; index < values.length; index += 1) {
    const value = values[index];
    if (index > 0) literal += ',';
    literal += value === null || value === undefined ? 'NULL' : quote(value);
  }
  return `${literal}}`;
}

/** Finite numbers and booleans, unquoted. */
export function plainArray(values: readonly (number | boolean | null)[]): string {
  let literal = '{';
  for (let index = 0; index < values.length; index += 1) {
    const value = values[index];
    if (index > 0) literal += ',';
    if (value === null || value === undefined) literal += 'NULL';
    else if (typeof value === 'boolean') literal += value ? 't' : 'f';
    else if (Number.isFinite(value)) literal += String(value);
    else throw new RangeError(`not a finite number: ${value}`);
  }
  return `${literal}}`;
}

/** Times as ISO 8601 in UTC (millisecond precision, like the columns). */
export function timeArray(values: readonly (Date | null)[]): string {
  return textArray(
    values.map((value) => (value === null || value === undefined ? null : value.toISOString())),
  );
}

function quote(value: string): string {
  return `"${needsEscape.test(value) ? value.replace(/[\\"]/g, '\\$&') : value}"`;
}
