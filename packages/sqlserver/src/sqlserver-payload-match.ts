import type { PayloadMatch } from '@durably/core';
import { payloadJsonPath } from '@durably/sql';
import { sql, type Expression, type RawBuilder, type SqlBool } from 'kysely';

/** `OPENJSON`'s `type` column: 0 null, 1 string, 2 number, 3 boolean (4 array, 5 object). */
const typeCodes = { null: 0, string: 1, number: 2, boolean: 3 } as const;

/**
 * `payloadMatch` on SQL Server. `JSON_VALUE` alone cannot tell `"1"` from `1` or `true` from
 * `"true"`, so the last step reads the parent with `OPENJSON`, whose `type` column says which JSON
 * type the value has; an index step also requires the parent to be an array. Strings compare with
 * a binary collation (the default ones ignore case). Paths and values are bound parameters.
 */
export function sqlServerPayloadMatch(column: Expression<unknown>, match: PayloadMatch): RawBuilder<SqlBool> {
  const parentPath = payloadJsonPath(match.path.slice(0, -1));
  const last = match.path.at(-1)!;
  const value = match.value;
  const kind = value === null ? 'null' : (typeof value as 'string' | 'number' | 'boolean');
  const conditions = [sql`[item].[key] = ${String(last)}`, sql`[item].[type] = ${typeCodes[kind]}`];
  const opening = typeof last === 'number' ? '[' : '{';
  conditions.push(sql`left(json_query(${column}, ${parentPath}), 1) = ${opening}`);
  if (typeof value === 'string') conditions.push(sql`[item].[value] = ${value} collate Latin1_General_BIN2`);
  if (typeof value === 'number') conditions.push(sql`try_cast([item].[value] as float) = ${value}`);
  if (typeof value === 'boolean') conditions.push(sql`[item].[value] = ${value ? 'true' : 'false'}`);
  return sql<SqlBool>`exists (select 1 from openjson(${column}, ${parentPath}) as [item] where ${sql.join(conditions, sql` and `)})`;
}
