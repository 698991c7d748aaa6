/**
 * Exit codes of `durably`, stable so scripts can branch on them:
 * - `0` ok (including a no-op that says so, such as cancelling a finished run);
 * - `1` runtime failure (database unreachable, schema too new, a worker that crashed);
 * - `2` usage or bad input (unknown command or flag, bad URL, invalid JSON, cron or time zone);
 * - `3` not found (unknown run id, job or schedule).
 */
export const exitCodes = Object.freeze({ ok: 0, failure: 1, usage: 2, notFound: 3 });

/** One of the values of `exitCodes`. */
export type ExitCode = (typeof exitCodes)[keyof typeof exitCodes];
