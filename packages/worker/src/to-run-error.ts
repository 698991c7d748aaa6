import type { RunError } from '@durably/core';

/** Longest stored error message and stack, in characters; longer ones are cut (a thrown 10 MB string must not reach the database). */
const maxMessageLength = 4_000;
const maxStackLength = 16_000;

/** Turns anything a handler threw into the stored error shape. Non-`Error` values become their string form. */
export function toRunError(error: unknown): RunError {
  if (error instanceof Error) {
    const result: RunError = { name: error.name || 'Error', message: cut(error.message, maxMessageLength) };
    if (typeof error.stack === 'string') result.stack = cut(error.stack, maxStackLength);
    return result;
  }
  return { name: 'Error', message: cut(describe(error), maxMessageLength) };
}

function describe(value: unknown): string {
  if (typeof value === 'string') return value;
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

function cut(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max)}… (${text.length - max} more characters)`;
}
