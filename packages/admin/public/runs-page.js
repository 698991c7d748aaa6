// @ts-check
// Run list: filters live in the URL (a plain GET form), pages follow the API's cursor.
import { apiGet } from './api.js';
import { badge, el, formatTime, replace, table, viewLink } from './dom.js';
import { showLoadError } from './feedback.js';

const statuses = ['pending', 'leased', 'waiting_retry', 'succeeded', 'failed', 'cancelled', 'skipped'];
const filterNames = ['status', 'job', 'queue', 'from', 'to', 'payloadPath', 'payloadValue', 'limit'];

/**
 * @param {string} name
 * @param {string} label
 * @param {URLSearchParams} params
 * @param {string} [placeholder]
 */
function field(name, label, params, placeholder = '') {
  return el('label', {}, label, el('input', { name, value: params.get(name) ?? '', placeholder, 'aria-label': label }));
}

/** @param {URLSearchParams} params */
function filterForm(params) {
  const status = el('select', { name: 'status', 'aria-label': 'Status' }, el('option', { value: '' }, 'any'),
    ...statuses.map((value) => el('option', { value, selected: params.get('status') === value }, value)));
  return el(
    'form',
    { className: 'filters', method: 'get', action: '', 'data-testid': 'filters' },
    el('input', { type: 'hidden', name: 'view', value: 'runs' }),
    el('label', {}, 'Status', status),
    field('job', 'Job', params, 'email.send'),
    field('queue', 'Queue', params, 'default'),
    field('from', 'Created from', params, '2026-03-01T00:00Z'),
    field('to', 'Created before', params, '2026-03-02T00:00Z'),
    field('payloadPath', 'Payload path', params, '$.userId'),
    field('payloadValue', 'Payload value', params, 'u1'),
    el('button', { type: 'submit' }, 'Filter'),
    el('a', { href: '?view=runs', className: 'reset' }, 'Reset'),
  );
}

/** @param {any} run */
function row(run) {
  return [
    viewLink({ view: 'run', id: run.runId }, el('code', {}, run.runId.slice(0, 8))),
    run.jobName,
    badge(run.status),
    run.queue,
    `${run.attempt} / ${run.maxAttempts}`,
    formatTime(run.createdAt),
    formatTime(run.runAt),
    formatTime(run.finishedAt),
  ];
}

/**
 * @param {HTMLElement} main
 * @param {URLSearchParams} params
 * @returns {Promise<() => void>}
 */
export async function runsPage(main, params) {
  const query = new URLSearchParams();
  for (const name of [...filterNames, 'cursor']) {
    const value = params.get(name);
    if (value) query.set(name, value);
  }
  try {
    const page = await apiGet(`runs?${query}`);
    const next = new URLSearchParams(params);
    if (page.nextCursor) next.set('cursor', page.nextCursor);
    const first = new URLSearchParams(params);
    first.delete('cursor');
    replace(
      main,
      el('h1', {}, 'Runs'),
      filterForm(params),
      el('div', { 'data-testid': 'run-table' },
        table(['Run', 'Job', 'Status', 'Queue', 'Attempt', 'Created', 'Due', 'Finished'], page.runs.map(row), 'No runs match these filters.')),
      el('p', { className: 'pager' },
        params.get('cursor') ? el('a', { href: `?${first}` }, '« First page') : null,
        page.nextCursor ? el('a', { href: `?${next}`, rel: 'next' }, 'Next page »') : null),
    );
  } catch (error) {
    replace(main, el('h1', {}, 'Runs'), filterForm(params));
    const box = el('div');
    showLoadError(box, 'Could not list runs', error);
    main.append(box);
  }
  return () => {};
}
