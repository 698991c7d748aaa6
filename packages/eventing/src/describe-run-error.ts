import type { RunError } from '@durably/core';

/** How much of an error leaves the process. */
export interface ErrorDetailOptions {
  /** Include the message and stack. When false only the error's type (its `name`) is kept. */
  includeErrorDetail: boolean;
  /** Most characters kept of the message and of the stack, each. */
  maxErrorDetailLength: number;
}

/** An error as sinks record it. */
export interface ErrorDetail {
  /** The error's `name` (`TypeError`, `NonRetryableError`, `TimeoutError`, …): always present. */
  type: string;
  /** Present only with `includeErrorDetail`; at most `maxErrorDetailLength` characters. */
  message?: string;
  /** Present only with `includeErrorDetail` and when captured; at most `maxErrorDetailLength` characters. */
  stack?: string;
}

/** Marks text cut short, so a reader never takes a truncated message for the whole one. */
const ellipsis = '…';

/**
 * Reduces a run error to what may be recorded: always its type, and its message and stack only
 * when `includeErrorDetail` is on — messages often carry payload values, ids or personal data, which
 * is why the reference keeps them out of ingested events by default.
 */
export function describeRunError(error: RunError, options: ErrorDetailOptions): ErrorDetail {
  const detail: ErrorDetail = { type: error.name || 'Error' };
  if (!options.includeErrorDetail) return detail;
  detail.message = truncateText(error.message, options.maxErrorDetailLength);
  if (error.stack !== undefined) detail.stack = truncateText(error.stack, options.maxErrorDetailLength);
  return detail;
}

/** Cuts `text` to at most `maxLength` characters, the last of them an ellipsis when it was cut. */
export function truncateText(text: string, maxLength: number): string {
  if (text.length <= maxLength) return text;
  if (maxLength <= ellipsis.length) return text.slice(0, Math.max(0, maxLength));
  return text.slice(0, maxLength - ellipsis.length) + ellipsis;
}
