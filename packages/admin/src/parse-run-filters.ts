import { runStatuses, type RunListParams, type RunStatus } from '@durably/core';
import { HttpError } from './http-error.js';
import { parseJsonPath } from './json-path.js';

/** Page size when none is given. */
export const defaultRunPageSize = 50;
/** Largest page the API returns; larger `limit`s are clamped to it, smaller than 1 to 1. */
export const maxRunPageSize = 200;

/** A search inside payloads: the value at `path` must equal `value`. */
export interface PayloadSearch {
  path: (string | number)[];
  /** The raw text given: matched as JSON when it parses (`42`, `true`, `"x"`), else as a string. */
  value: string;
}

export interface RunFilters {
  list: RunListParams;
  search: PayloadSearch | undefined;
}

/**
 * Reads the run list's query string: `status` (comma-separated), `job`, `queue`, `from`/`to`
 * (ISO times, on creation time), `order` (`created`|`due`), `limit` (clamped to 1..200, default
 * 50), `cursor`, and `payloadPath` + `payloadValue`. Unknown statuses, bad times and non-numeric
 * limits are 400.
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
  return { list, search: parseSearch(query) };
}

/** Clamps a numeric limit to 1..max; a value that is not a number is 400. */
export function parseLimit(raw: string | null, max = maxRunPageSize, fallback = defaultRunPageSize): number {
  if (raw === null || raw.trim() === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value)) throw bad('limit', `must be a number from 1 to ${max}`);
  return Math.min(max, Math.max(1, Math.trunc(value)));
}

function parseSearch(query: URLSearchParams): PayloadSearch | undefined {
  const path = nonEmpty(query, 'payloadPath');
  const value = query.get('payloadValue');
  if (path === undefined && value === null) return undefined;
  if (path === undefined || value === null) throw bad('payloadPath', 'payloadPath and payloadValue go together');
  return { path: parseJsonPath(path), value };
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
