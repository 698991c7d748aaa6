import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AdminHandler } from './create-admin-handler.js';
import { errorResponse } from './json-response.js';
import { maxBodyBytes } from './read-json-body.js';

/** Options of `createNodeAdminListener`. */
export interface NodeAdminListenerOptions {
  /**
   * Take the scheme from `X-Forwarded-Proto` (set this only behind a proxy you run, which overwrites
   * the header). Default `false`: `https` only on a TLS socket. Origins are compared by host anyway.
   */
  trustProxy?: boolean;
}

/** What Express-style frameworks leave on the request: the full path and a body parsed early. */
type FrameworkRequest = IncomingMessage & { originalUrl?: string; body?: unknown };

/**
 * Adapts an admin handler to `node:http` (and to Express/Connect middleware, which share its
 * request and response objects). Requests outside the handler's base path go to `next` when given
 * (middleware), else get 404. The peer's address is passed on for `unsafeAllowLocalWithoutAuth`.
 *
 * @example
 * http.createServer(createNodeAdminListener(admin)).listen(3000);      // plain node:http
 * app.use(createNodeAdminListener(admin));                              // Express, NestJS
 */
export function createNodeAdminListener(handler: AdminHandler, options: NodeAdminListenerOptions = {}) {
  return (incoming: IncomingMessage, response: ServerResponse, next?: (error?: unknown) => void): void => {
    const request = incoming as FrameworkRequest;
    const path = (request.originalUrl ?? request.url ?? '/').split('?')[0]!;
    const base = handler.basePath;
    if (next !== undefined && path !== base && !path.startsWith(`${base}/`)) {
      next();
      return;
    }
    void serve(handler, request, response, options).catch((error: unknown) => {
      if (next) next(error);
      else if (!response.headersSent) void send(response, errorResponse(500, 'internal_error', 'Internal error.'), false);
    });
  };
}

async function serve(
  handler: AdminHandler,
  request: FrameworkRequest,
  response: ServerResponse,
  options: NodeAdminListenerOptions,
): Promise<void> {
  let url: URL;
  try {
    const forwarded = options.trustProxy ? String(request.headers['x-forwarded-proto'] ?? '').split(',')[0]!.trim() : '';
    const secure = (request.socket as { encrypted?: boolean }).encrypted === true;
    const scheme = forwarded === 'https' || forwarded === 'http' ? forwarded : secure ? 'https' : 'http';
    url = new URL(request.originalUrl ?? request.url ?? '/', `${scheme}://${request.headers.host ?? 'localhost'}`);
  } catch {
    await send(response, errorResponse(400, 'bad_request', 'The Host header or path is malformed.'), false);
    return;
  }
  const headers = new Headers();
  for (const [name, value] of Object.entries(request.headers)) {
    if (value === undefined || name.startsWith(':')) continue;
    headers.set(name, Array.isArray(value) ? value.join(', ') : value);
  }
  const hasBody = request.method !== 'GET' && request.method !== 'HEAD';
  const { body, overflow } = hasBody ? await readBody(request) : { body: undefined, overflow: false };
  const fetchRequest = new Request(url, { method: request.method, headers, ...(body ? { body } : {}) });
  const result = await handler(fetchRequest, request.socket.remoteAddress ? { remoteAddress: request.socket.remoteAddress } : {});
  await send(response, result, overflow);
}

/**
 * Reads the body, keeping at most one byte over the limit (enough for the handler to refuse it).
 * A body already parsed by a framework (`express.json()`) is re-serialised.
 */
async function readBody(request: FrameworkRequest): Promise<{ body: Uint8Array | undefined; overflow: boolean }> {
  if (request.readableEnded) {
    // Consumed by a framework: use what it parsed, if anything (waiting for 'end' would hang).
    if (request.body === undefined) return { body: undefined, overflow: false };
    const text = typeof request.body === 'string' ? request.body : JSON.stringify(request.body);
    return { body: new TextEncoder().encode(text), overflow: false };
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      chunks.push(chunk);
      size += chunk.length;
      if (size <= maxBodyBytes) return;
      // Stop reading (without destroying the socket, so the 400 can still be sent).
      request.off('data', onData).off('end', onEnd).pause();
      resolve({ body: Buffer.concat(chunks).subarray(0, maxBodyBytes + 1), overflow: true });
    };
    const onEnd = () => resolve({ body: size === 0 ? undefined : Buffer.concat(chunks), overflow: false });
    request.on('data', onData).on('end', onEnd).once('error', reject);
  });
}

/** Writes a fetch Response. After an oversized body the connection is closed, not drained. */
async function send(response: ServerResponse, result: Response, closeAfter: boolean): Promise<void> {
  response.statusCode = result.status;
  result.headers.forEach((value, name) => response.setHeader(name, value));
  if (closeAfter) response.setHeader('connection', 'close');
  const body = Buffer.from(await result.arrayBuffer());
  response.end(body, () => {
    if (closeAfter) response.socket?.destroy();
  });
}
