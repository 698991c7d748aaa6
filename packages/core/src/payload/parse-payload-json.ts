/**
 * Parses a payload's stored JSON text. `JSON.parse` alone never changes a prototype (it defines
 * `__proto__` as an own property), but such a property pollutes `Object.prototype` as soon as a
 * handler copies the payload with `Object.assign` or a naive deep merge. Payloads written through
 * Durably never contain the key; this also drops it from rows written by other means (raw SQL, an
 * older version), so a stored payload can never carry it into a handler.
 *
 * @example
 * parsePayloadJson('{"userId":"u1"}'); // { userId: 'u1' }
 */
export function parsePayloadJson(json: string): unknown {
  // The reviver costs a second pass over the value; only text that can spell the key (directly or
  // with \u escapes) needs it.
  if (!json.includes('__proto__') && !json.includes('\\u')) return JSON.parse(json) as unknown;
  return JSON.parse(json, (key, value: unknown) => (key === '__proto__' ? undefined : value)) as unknown;
}
