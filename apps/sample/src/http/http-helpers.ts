import type { IncomingMessage, ServerResponse } from 'node:http';

/** A parsed JSON request body. */
export type Body = Record<string, unknown>;

/** An error answered with its status and message. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** Largest request body read, in bytes: these routes take a few fields. */
const maxBodyBytes = 64 * 1024;

/** Reads a JSON object body; an empty body is `{}`. Bad JSON is a 400. */
export async function readJsonBody(request: IncomingMessage): Promise<Body> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > maxBodyBytes) throw new HttpError(413, 'body too large');
    chunks.push(chunk as Buffer);
  }
  const text = Buffer.concat(chunks).toString('utf8').trim();
  if (text === '') return {};
  try {
    const value = JSON.parse(text) as unknown;
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) return value as Body;
  } catch {
    // answered below
  }
  throw new HttpError(400, 'the body must be a JSON object');
}

/** A required non-empty string field; otherwise a 400 naming it. */
export function requireString(body: Body, field: string): string {
  const value = body[field];
  if (typeof value !== 'string' || value.trim() === '')
    throw new HttpError(400, `"${field}" must be a non-empty string`);
  return value;
}

/** Answers with `value` as JSON and the given status. */
export function sendJson(response: ServerResponse, status: number, value: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
  response.end(`${JSON.stringify(value)}\n`);
}
