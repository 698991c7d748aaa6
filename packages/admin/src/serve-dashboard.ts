import { readFile } from 'node:fs/promises';

/**
 * The dashboard's Content-Security-Policy: everything from our own origin, no inline script or
 * style, no framing. The dashboard is written to need nothing more.
 */
export const dashboardCsp = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/** The prebuilt files in the package's `public/` folder (no CDN: users run behind firewalls). */
const javascript = 'text/javascript; charset=utf-8';
const assets: Record<string, string> = {
  'index.html': 'text/html; charset=utf-8',
  'app.css': 'text/css; charset=utf-8',
  'favicon.svg': 'image/svg+xml',
  'app.js': javascript,
  'api.js': javascript,
  'dom.js': javascript,
  'feedback.js': javascript,
  'overview-page.js': javascript,
  'runs-page.js': javascript,
  'run-page.js': javascript,
  'schedules-page.js': javascript,
};

const cache = new Map<string, Promise<Buffer>>();

/** The dashboard file for a path under the base path (`''` is the page), or `undefined`. */
export async function serveDashboard(file: string): Promise<Response | undefined> {
  const name = file === '' ? 'index.html' : file;
  const type = Object.prototype.hasOwnProperty.call(assets, name) ? assets[name] : undefined;
  if (type === undefined) return undefined;
  let content = cache.get(name);
  if (content === undefined) {
    // `public/` sits next to `src/` and `dist/`, so one relative URL serves both.
    content = readFile(new URL(`../public/${name}`, import.meta.url));
    cache.set(name, content);
    content.catch(() => cache.delete(name));
  }
  return new Response(new Uint8Array(await content), {
    status: 200,
    headers: {
      'content-type': type,
      'content-security-policy': dashboardCsp,
      'x-content-type-options': 'nosniff',
      'x-frame-options': 'DENY',
      'referrer-policy': 'same-origin',
      'cache-control': name === 'index.html' ? 'no-store' : 'no-cache',
    },
  });
}
