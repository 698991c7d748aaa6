// @ts-check
// Run detail: facts, live progress and log lines while the run is active, attempts, error, actions.
import { apiGet, apiSend, segment } from './api.js';
import { badge, el, formatDuration, formatTime, replace, viewLink } from './dom.js';
import { actionButton, every, flash, showLoadError } from './feedback.js';

const activeStatuses = ['pending', 'leased', 'waiting_retry'];
/** How often an active run is reloaded, in ms. */
const refreshMs = 1500;
/** A finished run is reloaded every this many ticks (every 15 s). */
const finishedEvery = 10;

/** @param {{ name: string, message: string, stack?: string } | null} error */
function errorBlock(error) {
  if (!error) return null;
  return el('section', { className: 'run-error', 'data-testid': 'run-error' },
    el('h2', {}, 'Error'),
    el('p', { className: 'error' }, `${error.name}: ${error.message}`),
    error.stack ? el('pre', { className: 'stack' }, error.stack) : null);
}

/** @param {any} run */
function facts(run) {
  /** @type {Array<[string, string | number | Node]>} */
  const items = [
    ['Run id', el('code', {}, run.runId)],
    ['Queue', run.queue],
    ['Priority', run.priority],
    ['Attempt', `${run.attempt} of ${run.maxAttempts}`],
    ['Origin', run.origin],
    ['Created', formatTime(run.createdAt)],
    ['Due', formatTime(run.runAt)],
    ['Started', formatTime(run.startedAt)],
    ['Finished', formatTime(run.finishedAt)],
  ];
  if (run.leaseOwner) items.push(['Worker', `${run.leaseOwner} (lease until ${formatTime(run.leaseExpiresAt)})`]);
  if (run.key) items.push(['Key', run.key]);
  if (run.cancelRequestedAt) items.push(['Cancel requested', formatTime(run.cancelRequestedAt)]);
  return el('dl', { className: 'facts' }, ...items.flatMap(([term, value]) => [el('dt', {}, term), el('dd', {}, value)]));
}

/** @param {any} run */
function progress(run) {
  if (run.progressPercent === null && run.status !== 'leased') return null;
  const percent = run.progressPercent ?? 0;
  return el('section', { 'data-testid': 'progress' },
    el('h2', {}, 'Progress'),
    el('progress', { max: 100, value: percent, 'aria-label': 'Progress' }),
    el('span', { className: 'progress-text' }, ` ${percent}%`, run.progressMessage ? ` · ${run.progressMessage}` : ''));
}

/**
 * @param {any} run
 * @param {any[]} attempts
 */
function timeline(run, attempts) {
  const items = attempts.map((attempt) => el('li', { className: `attempt outcome-${attempt.outcome}` },
    el('strong', {}, `#${attempt.attempt} ${attempt.outcome}`),
    ` on ${attempt.workerName} · ${formatTime(attempt.startedAt)} → ${formatTime(attempt.finishedAt)}`,
    ` (${formatDuration(Date.parse(attempt.finishedAt) - Date.parse(attempt.startedAt))})`,
    attempt.error ? el('div', { className: 'error' }, `${attempt.error.name}: ${attempt.error.message}`) : null));
  if (run.status === 'leased') {
    items.push(el('li', { className: 'attempt outcome-running' }, el('strong', {}, `#${run.attempt} running`), ` on ${run.leaseOwner} since ${formatTime(run.startedAt)}`));
  }
  return el('section', { 'data-testid': 'attempts' }, el('h2', {}, 'Attempts'),
    items.length ? el('ol', { className: 'timeline' }, ...items) : el('p', { className: 'muted' }, 'No attempt yet.'));
}

/** @param {any[]} logs */
function logLines(logs) {
  return el('section', { 'data-testid': 'logs' }, el('h2', {}, 'Log'),
    logs.length === 0 ? el('p', { className: 'muted' }, 'No log lines.')
      : el('ol', { className: 'logs' }, ...logs.map((line) =>
        el('li', { className: `log-${line.level}` }, el('span', { className: 'muted' }, `${formatTime(line.at)} #${line.attempt} ${line.level} `), line.message))));
}

/** @param {any} run */
function payload(run) {
  return el('section', { 'data-testid': 'payload' }, el('h2', {}, 'Payload'),
    run.payloadHidden ? el('p', { className: 'muted' }, 'Hidden for your role.') : el('pre', {}, JSON.stringify(run.payload, null, 2) ?? 'undefined'));
}

/**
 * @param {any} run
 * @param {() => Promise<unknown>} reload
 */
function actions(run, reload) {
  const path = `runs/${segment(run.runId)}`;
  const active = activeStatuses.includes(run.status);
  return el('div', { className: 'actions' },
    active ? null : actionButton('Retry', async () => {
      await apiSend('POST', `${path}/retry`);
      flash('The run will execute again.');
      await reload();
    }, { 'data-action': 'retry' }),
    active ? actionButton(run.status === 'leased' ? 'Request cancellation' : 'Cancel', async () => {
      const result = await apiSend('POST', `${path}/cancel`);
      flash(result.outcome === 'cancel_requested' ? 'Cancellation requested: the worker stops the attempt.' : 'Run cancelled.');
      await reload();
    }, { 'data-action': 'cancel', className: 'danger' }) : null,
    run.status === 'leased' ? null : actionButton('Delete', async () => {
      if (!window.confirm('Delete this run with its attempts and log lines?')) return;
      await apiSend('DELETE', path);
      window.location.search = '?view=runs';
    }, { 'data-action': 'delete', className: 'danger' }));
}

/**
 * @param {HTMLElement} main
 * @param {URLSearchParams} params
 * @returns {Promise<() => void>}
 */
export async function runPage(main, params) {
  const runId = params.get('id') ?? '';
  let active = false;
  let ticks = 0;
  const refresh = async () => {
    const detail = await apiGet(`runs/${segment(runId)}`);
    const { run } = detail;
    active = activeStatuses.includes(run.status);
    replace(main,
      el('p', {}, viewLink({ view: 'runs', job: run.jobName }, `« Runs of ${run.jobName}`)),
      el('h1', {}, run.jobName, ' ', badge(run.status)),
      actions(run, refresh), facts(run), progress(run), errorBlock(run.lastError),
      timeline(run, detail.attempts), logLines(detail.logs), payload(run));
  };
  try {
    await refresh();
  } catch (error) {
    showLoadError(main, 'Run', error);
    return () => {};
  }
  // Every tick while the run can change; a finished run is only re-checked every
  // `finishedEvery` ticks (someone may retry it from elsewhere).
  return every(async () => {
    ticks += 1;
    if (active || ticks % finishedEvery === 0) await refresh();
  }, refreshMs);
}
