// @ts-check
// The dashboard's entry point: picks the page from `?view=` and keeps only one page's timers alive.
import { overviewPage } from './overview-page.js';
import { runPage } from './run-page.js';
import { runsPage } from './runs-page.js';
import { schedulesPage } from './schedules-page.js';
import { el, replace } from './dom.js';

/**
 * A page renders into `main` and returns a function that stops its refresh timers.
 * @typedef {(main: HTMLElement, params: URLSearchParams) => Promise<() => void>} Page
 */

/** @type {Record<string, Page>} */
const pages = { overview: overviewPage, runs: runsPage, run: runPage, schedules: schedulesPage };

async function start() {
  const main = /** @type {HTMLElement} */ (document.getElementById('main'));
  const params = new URLSearchParams(window.location.search);
  const view = params.get('view') || 'overview';
  const nav = view === 'run' ? 'runs' : view;
  for (const link of document.querySelectorAll('nav a[data-view]')) {
    if (link.getAttribute('data-view') === nav) link.setAttribute('aria-current', 'page');
  }
  const page = Object.prototype.hasOwnProperty.call(pages, view) ? pages[view] : undefined;
  if (page === undefined) {
    replace(main, el('h1', {}, 'Not found'), el('p', {}, 'There is no such page. ', el('a', { href: './' }, 'Back to the overview.')));
  } else {
    const stop = await page(main, params);
    window.addEventListener('pagehide', stop, { once: true });
  }
  main.setAttribute('aria-busy', 'false');
}

if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', () => void start());
else void start();
