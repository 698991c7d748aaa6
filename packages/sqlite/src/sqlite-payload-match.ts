import type { PayloadMatch } from '@durably/core';
import { payloadJsonPath } from '@durably/sql';
import { sql, type Expression, type RawBuilder, type SqlBool } from 'kysely';

/**
 * `payloadMatch` on SQLite: `json_type` tells the JSON type apart (SQLite's `json_extract` turns
 * `true` into 1 and `"1"` into '1', so the value alone cannot), then `json_extract` compares the
 * value. The path and the value are bound parameters.
 */
export function sqlitePayloadMatch(column: Expression<unknown>, match: PayloadMatch): RawBuilder<SqlBool> {
  const path = payloadJsonPath(match.path);
  const type = sql`json_type(${column}, ${path})`;
  const value = match.value;
  if (value === null) return sql<SqlBool>`${type} = 'null'`;
  if (typeof value === 'boolean') return sql<SqlBool>`${type} = ${value ? 'true' : 'false'}`;
  if (typeof value === 'number') {
    return sql<SqlBool>`(${type} in ('integer', 'real') and json_extract(${column}, ${path}) = ${value})`;
  }
  // SQLite's default collation (BINARY) compares text byte for byte: case-sensitive, as wanted.
  return sql<SqlBool>`(${type} = 'text' and json_extract(${column}, ${path}) = ${value})`;
}
