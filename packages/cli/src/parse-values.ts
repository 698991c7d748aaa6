import { usageError } from './cli-error.js';

/** Parses a positive integer flag value; anything else is a usage error naming the flag. */
export function parsePositiveInteger(text: string, flag: string): number {
  if (!/^\d+$/.test(text.trim()) || Number(text) < 1 || !Number.isSafeInteger(Number(text))) {
    usageError(`${flag}: expected a positive integer, got "${text}".`);
  }
  return Number(text);
}

/** Parses an integer flag value (may be negative); anything else is a usage error naming the flag. */
export function parseInteger(text: string, flag: string): number {
  if (!/^-?\d+$/.test(text.trim()) || !Number.isSafeInteger(Number(text))) {
    usageError(`${flag}: expected an integer, got "${text}".`);
  }
  return Number(text);
}

/** Parses `--payload` JSON; invalid JSON is a usage error that quotes the parser's reason. */
export function parseJsonFlag(text: string, flag: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return usageError(
      `${flag}: not valid JSON (${reason}). Quote it for the shell, e.g. ${flag} '{"id": 42}'.`,
    );
  }
}
