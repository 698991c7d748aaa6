import { runStatuses, type PayloadMatch, type PayloadScalar, type RunListParams, type RunStatus } from '@durably/core';
import { HttpError } from './http-error.js';
import { parseJsonPath } from './json-path.js';

/** Page size when none is given. */
export const defaultRunPageSize = 50;
/** Largest page the API returns; larger `limit`s are clamped to it, smaller than 1 to 1. */
export const maxRunPageSize = 200;

export interface RunFilters {
  /** The store's listing, with `payloadMatch` when the query has `payloadPath` + `payloadValue`. */
  list: RunListParams;
}

/**
 * Reads the run list's query string: `status` (comma-separated), `job`, `queue`, `from`/`to`
 * (ISO times, on creation time), `order` (`created`|`due`), `limit` (clamped to 1..200, default
 * 50), `cursor`, and `payloadPath` + `payloadValue` (a search the store runs in its query; see
 * `parsePayloadValue`). Unknown statuses, bad times, bad paths and non-numeric limits are 400.
 */
export function parseRunFilters(query: URLSearchParams): RunFilters {
  const list: RunListParams = { limit: parseLimit(query.get('limit')) };
  const status = nonEmpty(query, 'status');
  if (status !== undefined) list.statuses = status.split(',').map((item) => parseStatus(item.trim()));
  const job = nonEmpty(query, 'job');
  if (job !== undefined) list.jobName = job;
  const queue = nonEmpty(query, 'queue');
  if (queue !== undefined) list.queue = queue;
  const from = nonEmpty(query, 'from');
  if (from !== undefined) list.createdAfter = parseTime(from, 'from');
  const to = nonEmpty(query, 'to');
  if (to !== undefined) list.createdBefore = parseTime(to, 'to');
  const order = nonEmpty(query, 'order');
  if (order !== undefined) {
    if (order !== 'created' && order !== 'due') throw bad('order', 'must be "created" or "due"');
    list.order = order;
  }
  const cursor = nonEmpty(query, 'cursor');
  if (cursor !== undefined) list.cursor = cursor;
  const payloadMatch = parsePayloadMatch(query);
  if (payloadMatch !== undefined) list.payloadMatch = payloadMatch;
  return { list };
}

/** Clamps a numeric limit to 1..max; a value that is not a number is 400. */
export function parseLimit(raw: string | null, max = maxRunPageSize, fallback = defaultRunPageSize): number {
  if (raw === null || raw.trim() === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value)) throw bad('limit', `must be a number from 1 to ${max}`);
  return Math.min(max, Math.max(1, Math.trunc(value)));
}

function parsePayloadMatch(query: URLSearchParams): PayloadMatch | undefined {
  const path = nonEmpty(query, 'payloadPath');
  const value = query.get('payloadValue');
  if (path === undefined && value === null) return undefined;
  if (path === undefined || value === null) throw bad('payloadPath', 'payloadPath and payloadValue go together');
  return { path: parseJsonPath(path), value: parsePayloadValue(value) };
}

/**
 * The value to search for: JSON when the text is a JSON scalar (`42`, `true`, `null`, `"42"`),
 * else the text itself (`u1`). So `42` finds the number and `"42"` the string; objects and arrays
 * cannot be searched for (400).
 */
export function parsePayloadValue(text: string): PayloadScalar {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return text;
  }
  if (typeof parsed === 'object' && parsed !== null) {
    throw bad('payloadValue', 'must be a string, number, boolean or null (objects and arrays cannot be searched for)');
  }
  return parsed as PayloadScalar;
}

function parseStatus(value: string): RunStatus {
  if (!(runStatuses as readonly string[]).includes(value)) {
    throw bad('status', `${JSON.stringify(value)} is not a status; use ${runStatuses.join(', ')}`);
  }
  return value as RunStatus;
}

function parseTime(value: string, name: string): Date {
  const time = new Date(value);
  if (Number.isNaN(time.getTime())) throw bad(name, `${JSON.stringify(value)} is not an ISO 8601 time`);
  return time;
}

function nonEmpty(query: URLSearchParams, name: string): string | undefined {
  const value = query.get(name);
  return value === null || value.trim() === '' ? undefined : value;
}

function bad(name: string, reason: string): HttpError {
  return new HttpError(400, 'invalid_argument', `Invalid query parameter \`${name}\`: ${reason}.`);
}
