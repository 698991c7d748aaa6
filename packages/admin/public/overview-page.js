// @ts-check
// Overview: counts by status, the throughput/failure chart, the oldest due run, workers, jobs.
import { apiGet } from './api.js';
import { badge, el, formatDuration, formatTime, replace, table, viewLink } from './dom.js';
import { every, showLoadError } from './feedback.js';

const svgNs = 'http://www.w3.org/2000/svg';

/**
 * @param {string} tag
 * @param {Record<string, string | number>} attributes
 */
function svg(tag, attributes) {
  const node = document.createElementNS(svgNs, tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, String(value));
  return node;
}

/**
 * Bars of succeeded (below) and failed (on top) runs per hour. Sizes are SVG attributes, not
 * styles, so the strict CSP needs no exception.
 * @param {{ buckets: Array<{ hour: string, succeeded: number, failed: number, failureRate: number | null }>, truncated: boolean }} data
 */
function chart(data) {
  const width = 720;
  const height = 140;
  const max = Math.max(1, ...data.buckets.map((bucket) => bucket.succeeded + bucket.failed));
  const slot = width / data.buckets.length;
  const root = svg('svg', { viewBox: `0 0 ${width} ${height + 18}`, class: 'chart', role: 'img', 'aria-label': 'Finished runs per hour' });
  data.buckets.forEach((bucket, index) => {
    const ok = (bucket.succeeded / max) * height;
    const bad = (bucket.failed / max) * height;
    const x = index * slot + 2;
    const title = svg('title', {});
    title.textContent = `${formatTime(bucket.hour)}: ${bucket.succeeded} succeeded, ${bucket.failed} failed`;
    const group = svg('g', {});
    group.append(title, svg('rect', { x, y: height - ok, width: slot - 4, height: ok, class: 'bar-ok' }));
    group.append(svg('rect', { x, y: height - ok - bad, width: slot - 4, height: bad, class: 'bar-failed' }));
    root.append(group);
    if (index % 6 === 0) {
      const label = svg('text', { x, y: height + 14, class: 'axis' });
      label.textContent = bucket.hour.slice(11, 16);
      root.append(label);
    }
  });
  const totals = data.buckets.reduce((sum, b) => ({ ok: sum.ok + b.succeeded, failed: sum.failed + b.failed }), { ok: 0, failed: 0 });
  const rate = totals.ok + totals.failed === 0 ? '—' : `${((100 * totals.failed) / (totals.ok + totals.failed)).toFixed(1)}%`;
  return el(
    'section',
    { 'data-testid': 'throughput' },
    el('h2', {}, 'Last 24 hours'),
    el('p', {}, `${totals.ok} succeeded, ${totals.failed} failed · failure rate ${rate}`, data.truncated ? ' (older hours incomplete)' : ''),
    root,
  );
}

/** @param {any} stats */
function countCards(stats) {
  return el(
    'section',
    { className: 'cards', 'data-testid': 'counts' },
    ...stats.statuses.map((/** @type {string} */ status) =>
      el('a', { className: 'card', href: `?${new URLSearchParams({ view: 'runs', status })}`, 'data-status': status },
        el('span', { className: 'count' }, stats.counts[status] ?? 0), badge(status))),
  );
}

/** @param {any} stats */
function oldestDue(stats) {
  const due = stats.oldestDue;
  return el(
    'section',
    { 'data-testid': 'oldest-due' },
    el('h2', {}, 'Oldest due run'),
    due === null
      ? el('p', { className: 'muted' }, 'No run is waiting.')
      : el('p', {}, viewLink({ view: 'run', id: due.runId }, due.jobName), ` due since ${formatTime(due.runAt)} — waiting ${formatDuration(due.ageMs)}`),
  );
}

/** @param {any} stats */
function workers(stats) {
  const rows = stats.workers.map((/** @type {any} */ worker) => [
    worker.workerName,
    worker.queues ? worker.queues.join(', ') : 'all',
    worker.activeRuns,
    formatTime(worker.startedAt),
    el('span', { className: worker.heartbeatAgeMs > 60_000 ? 'stale' : '' }, `${formatDuration(worker.heartbeatAgeMs)} ago`),
  ]);
  return el('section', { 'data-testid': 'workers' }, el('h2', {}, 'Workers'),
    table(['Worker', 'Queues', 'Active runs', 'Started', 'Last heartbeat'], rows, 'No worker was seen in the last 24 hours.'));
}

/** @param {any} stats */
function jobs(stats) {
  const statuses = /** @type {string[]} */ (stats.statuses);
  const rows = Object.entries(stats.byJob).map(([name, counts]) => [
    viewLink({ view: 'runs', job: name }, name),
    ...statuses.map((status) => /** @type {any} */ (counts)[status] ?? 0),
  ]);
  return el('section', {}, el('h2', {}, 'Jobs'), table(['Job', ...statuses], rows, 'No jobs known.'));
}

/**
 * @param {HTMLElement} main
 * @returns {Promise<() => void>}
 */
export async function overviewPage(main) {
  const render = async () => {
    const [stats, throughput] = await Promise.all([apiGet('stats'), apiGet('stats/throughput?hours=24')]);
    replace(main, el('h1', {}, 'Overview'), countCards(stats), oldestDue(stats), chart(throughput), workers(stats), jobs(stats));
  };
  try {
    await render();
  } catch (error) {
    showLoadError(main, 'Overview', error);
  }
  return every(render, 5000);
}
