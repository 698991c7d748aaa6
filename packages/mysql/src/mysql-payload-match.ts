import type { PayloadMatch } from '@durably/core';
import { payloadJsonPath } from '@durably/sql';
import { sql, type Expression, type RawBuilder, type SqlBool } from 'kysely';

/** `JSON_TYPE` names of numbers: MySQL 8 has all four, MariaDB `INTEGER` and `DOUBLE`. */
const numberTypes = ['INTEGER', 'UNSIGNED INTEGER', 'DOUBLE', 'DECIMAL'];

/**
 * `payloadMatch` on MySQL 8 and MariaDB. MariaDB has no `CAST(? AS JSON)` and compares
 * `JSON_EXTRACT` results loosely (`"1"` = `1`), so the JSON type is checked with `JSON_TYPE` and
 * the value compared as unquoted text (strings as bytes, since the default collations ignore case)
 * or as a number. A missing path gives SQL NULL, which matches nothing. Path and value are bound.
 */
export function mySqlPayloadMatch(column: Expression<unknown>, match: PayloadMatch): RawBuilder<SqlBool> {
  const extracted = sql`json_extract(${column}, ${payloadJsonPath(match.path)})`;
  const type = sql`json_type(${extracted})`;
  const value = match.value;
  if (value === null) return sql<SqlBool>`${type} = 'NULL'`;
  if (typeof value === 'boolean') {
    return sql<SqlBool>`(${type} = 'BOOLEAN' and json_unquote(${extracted}) = ${value ? 'true' : 'false'})`;
  }
  if (typeof value === 'number') {
    const types = sql.join(numberTypes.map((name) => sql.lit(name)));
    return sql<SqlBool>`(${type} in (${types}) and ${extracted} = ${value})`;
  }
  return sql<SqlBool>`(${type} = 'STRING' and cast(json_unquote(${extracted}) as binary) = cast(${value} as binary))`;
}
