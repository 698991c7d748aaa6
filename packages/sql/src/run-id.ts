const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Whether `value` can be a run id of a SQL store (a UUID). Other strings cannot name a run, so
 * lookups answer "not found" without asking the database (PostgreSQL would reject them as `uuid`).
 */
export function isRunId(value: string): boolean {
  return typeof value === 'string' && uuidPattern.test(value);
}
