import { HttpError } from './http-error.js';

/** Largest request body accepted, in bytes (64 KiB): the API's bodies are a cron and a zone. */
export const maxBodyBytes = 64 * 1024;

/**
 * Reads a request body as a JSON object. An empty body is `{}`. Bodies over `maxBodyBytes`
 * (declared or streamed), invalid UTF-8/JSON and non-objects are rejected with 400.
 */
export async function readJsonBody(request: Request, limit = maxBodyBytes): Promise<Record<string, unknown>> {
  const declared = Number(request.headers.get('content-length') ?? '0');
  if (declared > limit) throw tooLarge(limit);
  const text = await readText(request, limit);
  if (text.trim() === '') return {};
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new HttpError(400, 'malformed_body', 'The request body is not valid JSON.');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new HttpError(400, 'malformed_body', 'The request body must be a JSON object.');
  }
  return value as Record<string, unknown>;
}

async function readText(request: Request, limit: number): Promise<string> {
  if (request.body === null) return '';
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      // Stop reading at once: a client streaming gigabytes must not cost us the memory.
      await reader.cancel().catch(() => {});
      throw tooLarge(limit);
    }
    chunks.push(value);
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(Buffer.concat(chunks));
  } catch {
    throw new HttpError(400, 'malformed_body', 'The request body is not valid UTF-8.');
  }
}

function tooLarge(limit: number): HttpError {
  return new HttpError(400, 'body_too_large', `The request body is larger than ${limit / 1024} KiB.`);
}
