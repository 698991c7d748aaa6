// @ts-check
// DOM helpers. Data reaches the page only through text nodes and attribute values set by
// property, never through innerHTML, so names, payloads and errors containing markup stay inert.

/**
 * Creates an element. `props` are set as properties (`className`, `href`, `value`, …) except
 * `data-*`/`aria-*` keys, which become attributes; `on*` functions become listeners. Strings and
 * numbers among `children` become text nodes.
 * @param {string} tag
 * @param {Record<string, unknown>} [props]
 * @param {...(Node | string | number | null | undefined | false)} children
 * @returns {HTMLElement}
 */
export function el(tag, props = {}, ...children) {
  const element = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (value === undefined || value === null || value === false) continue;
    if (key.startsWith('on') && typeof value === 'function') {
      element.addEventListener(key.slice(2), /** @type {EventListener} */ (value));
    } else if (key.startsWith('data-') || key.startsWith('aria-')) {
      element.setAttribute(key, String(value));
    } else {
      /** @type {Record<string, unknown>} */ (/** @type {unknown} */ (element))[key] = value;
    }
  }
  append(element, children);
  return element;
}

/**
 * @param {Node} parent
 * @param {Array<Node | string | number | null | undefined | false>} children
 */
export function append(parent, children) {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    parent.appendChild(typeof child === 'object' ? child : document.createTextNode(String(child)));
  }
}

/**
 * Replaces an element's content.
 * @param {Element} parent
 * @param {...(Node | string | null | undefined | false)} children
 */
export function replace(parent, ...children) {
  parent.replaceChildren();
  append(parent, children);
}

/**
 * A time as `YYYY-MM-DD HH:MM:SS` UTC (one zone for every operator, like the store's clock).
 * @param {string | null | undefined} iso
 */
export function formatTime(iso) {
  if (!iso) return '—';
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)}Z`;
}

/**
 * A duration in ms as `1h 2m`, `3m 4s`, `5.2s` or `120ms`.
 * @param {number | null | undefined} ms
 */
export function formatDuration(ms) {
  if (ms === null || ms === undefined) return '—';
  if (ms < 1000) return `${ms}ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)}s`;
  const minutes = Math.floor(ms / 60_000);
  if (minutes < 60) return `${minutes}m ${Math.floor((ms % 60_000) / 1000)}s`;
  return `${Math.floor(minutes / 60)}h ${minutes % 60}m`;
}

/**
 * A status badge.
 * @param {string} status
 */
export function badge(status) {
  return el('span', { className: `badge status-${status.replace(/[^a-z_]/g, '')}`, 'data-status': status }, status);
}

/**
 * A link to another view of the dashboard (a query string, relative to the page).
 * @param {Record<string, string>} params
 * @param {string | Node} label
 */
export function viewLink(params, label) {
  return el('a', { href: `?${new URLSearchParams(params)}` }, label);
}

/**
 * A table with a header row and body rows.
 * @param {string[]} headers
 * @param {Array<Array<Node | string | number | null>>} rows
 * @param {string} [empty] text shown when there are no rows
 */
export function table(headers, rows, empty = 'Nothing here.') {
  if (rows.length === 0) return el('p', { className: 'muted empty' }, empty);
  return el(
    'table',
    {},
    el('thead', {}, el('tr', {}, ...headers.map((header) => el('th', { scope: 'col' }, header)))),
    el('tbody', {}, ...rows.map((cells) => el('tr', {}, ...cells.map((cell) => el('td', {}, cell))))),
  );
}
