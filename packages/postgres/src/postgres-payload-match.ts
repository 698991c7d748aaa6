import type { PayloadMatch, PayloadScalar } from '@durably/core';
import { payloadJsonPath } from '@durably/sql';
import { sql, type Expression, type RawBuilder, type SqlBool } from 'kysely';

/**
 * `payloadMatch` on PostgreSQL (`jsonb`). A path of keys only becomes containment,
 * `payload @> '{"user":{"id":"u1"}}'`, which a GIN index on `payload` can serve; for scalars
 * below the top level, jsonb containment is exact JSON equality (`"1"` ≠ `1`, `1` = `1.0`). A path
 * with an array index becomes a strict jsonpath, `strict $."items"[0] ? (@ == $value)` (strict,
 * so an index never reads an object key and a key never unwraps an array), with the value passed
 * as a jsonpath variable. Both the document and the jsonpath are bound parameters.
 */
export function postgresPayloadMatch(column: Expression<unknown>, match: PayloadMatch): RawBuilder<SqlBool> {
  if (match.path.every((segment) => typeof segment === 'string')) {
    const document = JSON.stringify(nest(match.path as readonly string[], match.value));
    return sql<SqlBool>`${column} @> ${document}::jsonb`;
  }
  const jsonPath = `strict ${payloadJsonPath(match.path)} ? (@ == $value)`;
  const variables = JSON.stringify({ value: match.value });
  // `silent` (true): a path that does not fit the document is "no match", not an error.
  return sql<SqlBool>`jsonb_path_exists(${column}, ${jsonPath}::jsonpath, ${variables}::jsonb, true)`;
}

/** `['a', 'b']`, 1 → `{ a: { b: 1 } }` (own properties, so a key `__proto__` stays a key). */
function nest(keys: readonly string[], value: PayloadScalar): unknown {
  return keys.reduceRight<unknown>(
    (inner, key) => Object.defineProperty({}, key, { value: inner, enumerable: true }),
    value,
  );
}
