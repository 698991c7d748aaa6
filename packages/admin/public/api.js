// @ts-check
// Calls to the admin API, relative to the page so the dashboard works under any base path.

/** Raised for an API error; `message` is the API's own explanation. */
export class ApiError extends Error {
  /**
   * @param {number} status
   * @param {string} code
   * @param {string} message
   */
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

/**
 * The URL of an API path, e.g. `runs?status=failed`.
 * @param {string} path
 */
function apiUrl(path) {
  // The page is always `${basePath}/` (the handler redirects the bare prefix), so `api/…` resolves
  // under the base path.
  return new URL(`api/${path}`, window.location.origin + window.location.pathname);
}

/**
 * @param {Response} response
 * @returns {Promise<any>}
 */
async function parse(response) {
  const body = await response.json().catch(() => null);
  if (!response.ok) {
    const error = body && body.error ? body.error : { code: 'http_error', message: `The server answered ${response.status}.` };
    throw new ApiError(response.status, String(error.code), String(error.message));
  }
  return body;
}

/**
 * GETs an API path.
 * @param {string} path
 * @returns {Promise<any>}
 */
export async function apiGet(path) {
  return parse(await fetch(apiUrl(path), { headers: { accept: 'application/json' }, credentials: 'same-origin' }));
}

/**
 * Sends a mutating request (POST or DELETE) with the header and JSON body the API's CSRF checks
 * require.
 * @param {'POST' | 'DELETE'} method
 * @param {string} path
 * @param {Record<string, unknown>} [body]
 * @returns {Promise<any>}
 */
export async function apiSend(method, path, body = {}) {
  return parse(
    await fetch(apiUrl(path), {
      method,
      credentials: 'same-origin',
      headers: { 'content-type': 'application/json', 'x-durably-admin': '1', accept: 'application/json' },
      body: JSON.stringify(body),
    }),
  );
}

/**
 * Encodes one path segment (job names may contain `/`).
 * @param {string} value
 */
export function segment(value) {
  return encodeURIComponent(value);
}
