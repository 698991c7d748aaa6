import { HttpError } from './http-error.js';

/** The header the dashboard sends on every mutating request. */
export const adminRequestHeader = 'x-durably-admin';

/**
 * CSRF defence for mutating routes, in three layers: a browser's `Sec-Fetch-Site` must say
 * `same-origin`; an `Origin` header must name the handler's own host (or one of `allowedOrigins`);
 * and the request must carry `X-Durably-Admin` or a JSON content type — neither can be sent
 * cross-site without a CORS preflight, which this handler never grants. Non-browser clients
 * (curl, scripts) send neither `Origin` nor `Sec-Fetch-Site` and pass with the header.
 */
export function checkSameOrigin(request: Request, allowedOrigins: readonly string[]): void {
  const fetchSite = request.headers.get('sec-fetch-site');
  if (fetchSite !== null && fetchSite !== 'same-origin') {
    throw new HttpError(403, 'cross_site', `Cross-site requests are refused (Sec-Fetch-Site: ${fetchSite}).`);
  }
  const origin = request.headers.get('origin');
  if (origin !== null) {
    // Hosts, not full origins, are compared: behind a TLS-terminating proxy the handler sees
    // `http://` while the browser's Origin says `https://`.
    if (hostOf(origin) !== new URL(request.url).host && !allowedOrigins.includes(origin)) {
      throw new HttpError(403, 'cross_site', 'Requests from another origin are refused; add it to `allowedOrigins` if it is yours.');
    }
  }
  const contentType = request.headers.get('content-type') ?? '';
  const isJson = /^application\/json\s*(;|$)/i.test(contentType);
  if (!isJson && request.headers.get(adminRequestHeader) === null) {
    throw new HttpError(
      403,
      'missing_admin_header',
      `Mutating requests need the \`${adminRequestHeader}: 1\` header or a JSON body (\`content-type: application/json\`).`,
    );
  }
}

function hostOf(origin: string): string | null {
  try {
    return new URL(origin).host;
  } catch {
    return null; // `Origin: null` (sandboxed frames, file://) never matches
  }
}
