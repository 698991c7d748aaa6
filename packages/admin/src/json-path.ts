import { HttpError } from './http-error.js';

/** Longest accepted path expression, in characters. */
const maxPathLength = 200;

/**
 * Parses a simple JSON path into keys: `$.user.id`, `user.id`, `items[0].sku`, `$["odd key"]`.
 * Only member and index steps (no wildcards, filters or recursion; a key `*` must be quoted:
 * `$["*"]`). Throws 400 on anything else.
 */
export function parseJsonPath(path: string): (string | number)[] {
  if (path.length === 0 || path.length > maxPathLength) {
    throw invalid(path, `must have 1 to ${maxPathLength} characters`);
  }
  let rest = path.startsWith('$') ? path.slice(1) : `.${path}`;
  const keys: (string | number)[] = [];
  while (rest.length > 0) {
    const member = /^\.([^.[\]"*]+)/.exec(rest); // `*` is refused: it would look like a wildcard
    const index = /^\[(\d{1,9})\]/.exec(rest);
    const quoted = /^\["((?:[^"\\]|\\.)*)"\]/.exec(rest);
    if (member) keys.push(member[1]!);
    else if (index) keys.push(Number(index[1]));
    else if (quoted) keys.push(parseQuoted(path, quoted[1]!));
    else throw invalid(path, 'use member and index steps only, e.g. `$.user.id` or `items[0].sku`');
    rest = rest.slice((member ?? index ?? quoted)![0].length);
  }
  if (keys.length === 0) throw invalid(path, 'names no value inside the payload');
  return keys;
}

function parseQuoted(path: string, body: string): string {
  try {
    return JSON.parse(`"${body}"`) as string;
  } catch {
    throw invalid(path, 'a quoted key must be a JSON string, e.g. `$["odd key"]`');
  }
}

function invalid(path: string, reason: string): HttpError {
  return new HttpError(400, 'invalid_argument', `Invalid payload path ${JSON.stringify(path.slice(0, maxPathLength))}: ${reason}.`);
}
