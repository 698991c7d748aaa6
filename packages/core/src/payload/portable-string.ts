// An unpaired UTF-16 surrogate: a high one not followed by a low one, or a low one not preceded by a high one.
const loneSurrogate = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/**
 * Why `text` cannot be stored by every provider, or `undefined` if it can. JavaScript strings and
 * JSON can carry `\u0000` and unpaired surrogates, but PostgreSQL refuses both (in `text` and
 * `jsonb`), so a value that works on one store would fail on another: refuse them everywhere.
 */
export function portableStringProblem(text: string): string | undefined {
  if (text.includes('\u0000')) {
    return 'contains the NUL character (\\u0000), which PostgreSQL cannot store; remove it or base64-encode the value.';
  }
  if (loneSurrogate.test(text)) {
    return 'contains an unpaired UTF-16 surrogate (a broken character), which databases reject; repair the text or base64-encode it.';
  }
  return undefined;
}
