/**
 * The JSON path text of a validated `payloadMatch` path, in the syntax SQLite, MySQL/MariaDB,
 * PostgreSQL's jsonpath and SQL Server share: `$."user"."id"`, `$."items"[0]`. Every key is quoted
 * as a JSON string (`"` and `\` escaped), so a key such as `a.b`, `*` or `x"]` stays one key and
 * cannot add path syntax. Dialects bind the result as a parameter; it is never spliced into SQL.
 *
 * @example
 * ```ts
 * payloadJsonPath(['items', 0, 'a.b']); // '$."items"[0]."a.b"'
 * ```
 */
export function payloadJsonPath(path: readonly (string | number)[]): string {
  return `$${path.map((segment) => (typeof segment === 'number' ? `[${segment}]` : `.${JSON.stringify(segment)}`)).join('')}`;
}
