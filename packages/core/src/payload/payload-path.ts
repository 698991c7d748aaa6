/** A key that can be written after a dot in a path (`$.items`); anything else is bracketed (`$["a b"]`). */
const identifierKey = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/**
 * Appends one segment to a JSONPath-like path: `$` + `items` → `$.items`, `$.items` + 2 →
 * `$.items[2]`, `$` + `a b` → `$["a b"]`. Used in every payload error so the message points at the
 * offending value.
 */
export function appendPayloadPath(path: string, key: PropertyKey): string {
  if (typeof key === 'number') return `${path}[${key}]`;
  if (typeof key === 'symbol') return `${path}[${key.toString()}]`;
  return identifierKey.test(key) ? `${path}.${key}` : `${path}[${JSON.stringify(key)}]`;
}

/** Builds a path from the root (`$`) through `keys`. */
export function formatPayloadPath(keys: readonly PropertyKey[]): string {
  return keys.reduce<string>((path, key) => appendPayloadPath(path, key), '$');
}
