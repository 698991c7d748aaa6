import type { StandardSchemaV1 } from '@standard-schema/spec';
import { PayloadError } from '../errors.js';
import type { JobDefinition } from '../job-definition.js';
import { formatPayloadPath } from './payload-path.js';

/** How many issues a `PayloadError` message lists before summarising the rest. */
const maxListedIssues = 10;

/**
 * Checks a payload against the job's Standard Schema (zod, valibot, …), awaiting it when the schema
 * is asynchronous, and returns the schema's output (its parsed, typed value). A job without a schema
 * accepts the value as it is. On failure, throws a `PayloadError` whose `path` is the first issue's
 * path (`$.items[2].at`) and whose message lists every issue with its path.
 *
 * Enqueue stores the value as given (not the schema's output, which may not be JSON, e.g. a
 * transform to `Date`); the worker validates again before execution and hands the output to the
 * handler.
 *
 * @example
 * const payload = await validatePayload(sendWelcome, { userId: 'u1' });
 */
export async function validatePayload<Payload>(job: JobDefinition<Payload>, value: unknown): Promise<Payload> {
  if (job.schema === undefined) return value as Payload;
  const result = await job.schema['~standard'].validate(value);
  if (result.issues === undefined) return result.value;
  throw payloadIssuesError(job.name, result.issues);
}

/** Builds the `PayloadError` for a schema's issues (also used where validation must stay synchronous). */
export function payloadIssuesError(jobName: string, issues: readonly StandardSchemaV1.Issue[]): PayloadError {
  const described = issues.map((issue) => ({ path: issuePath(issue), message: issue.message }));
  const listed = described.slice(0, maxListedIssues).map((issue) => `${issue.path}: ${issue.message}`);
  if (described.length > maxListedIssues) listed.push(`and ${described.length - maxListedIssues} more`);
  const first = described[0] ?? { path: '$', message: 'invalid' };
  if (described.length === 1) return new PayloadError(jobName, first.path, `${first.message} (schema check failed).`);
  return new PayloadError(jobName, first.path, `schema check failed with ${described.length} issues: ${listed.join('; ')}.`);
}

function issuePath(issue: StandardSchemaV1.Issue): string {
  const keys = (issue.path ?? []).map((segment) => (typeof segment === 'object' ? segment.key : segment));
  return formatPayloadPath(keys);
}
