// @ts-check
// Recurring schedules: next runs, last outcome, enable/disable, edit cron and zone, run now.
import { apiGet, apiSend, segment } from './api.js';
import { badge, el, formatTime, replace, table, viewLink } from './dom.js';
import { actionButton, flash, flashError, showLoadError } from './feedback.js';

/**
 * An inline form to change the cron and zone; the API's reason is shown when it refuses.
 * @param {any} schedule
 * @param {() => Promise<void>} reload
 */
function cronForm(schedule, reload) {
  const cron = /** @type {HTMLInputElement} */ (el('input', { name: 'cron', value: schedule.cron, 'aria-label': `Cron of ${schedule.jobName}`, required: true }));
  const zone = /** @type {HTMLInputElement} */ (el('input', { name: 'timeZone', value: schedule.timeZone, 'aria-label': `Time zone of ${schedule.jobName}` }));
  const message = el('p', { className: 'error', role: 'alert', 'data-testid': 'cron-error' });
  const form = el('form', { className: 'cron-form', hidden: true }, cron, zone, el('button', { type: 'submit' }, 'Save'), message);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    message.textContent = '';
    try {
      await apiSend('POST', `schedules/${segment(schedule.jobName)}/cron`, { cron: cron.value, timeZone: zone.value });
      flash(`Schedule of ${schedule.jobName} changed.`);
      await reload();
    } catch (error) {
      message.textContent = error instanceof Error ? error.message : String(error);
      flashError(error);
    }
  });
  return form;
}

/**
 * @param {any} schedule
 * @param {() => Promise<void>} reload
 */
function row(schedule, reload) {
  const path = `schedules/${segment(schedule.jobName)}`;
  const form = cronForm(schedule, reload);
  const edit = el('button', { type: 'button', 'data-action': 'edit' }, 'Edit cron');
  edit.addEventListener('click', () => (form.hidden = !form.hidden));
  const last = schedule.lastOutcome;
  return [
    el('span', {}, schedule.jobName, schedule.definedInCode ? null : el('span', { className: 'tag' }, 'not in code')),
    el('div', {}, el('code', {}, schedule.cron), ' ', el('span', { className: 'muted' }, schedule.timeZone),
      el('div', { className: 'muted' }, schedule.description ?? 'cannot be parsed'), schedule.lastError ? el('div', { className: 'error' }, schedule.lastError) : null, form),
    el('span', { 'data-testid': 'enabled' }, schedule.enabled ? 'enabled' : 'disabled'),
    schedule.upcoming.length ? el('ul', { className: 'upcoming' }, ...schedule.upcoming.map((/** @type {string} */ at) => el('li', {}, formatTime(at)))) : el('span', { className: 'muted' }, 'none'),
    last ? el('span', {}, viewLink({ view: 'run', id: last.runId }, badge(last.status))) : el('span', { className: 'muted' }, 'never ran'),
    el('div', { className: 'actions' },
      actionButton('Run now', async () => {
        const { runId } = await apiSend('POST', `${path}/run-now`);
        flash(el('span', {}, 'Run enqueued: ', viewLink({ view: 'run', id: runId }, el('code', { 'data-testid': 'run-now-id' }, runId))));
      }, { 'data-action': 'run-now' }),
      actionButton(schedule.enabled ? 'Disable' : 'Enable', async () => {
        await apiSend('POST', `${path}/${schedule.enabled ? 'disable' : 'enable'}`);
        await reload();
      }, { 'data-action': 'toggle' }),
      edit),
  ];
}

/**
 * @param {HTMLElement} main
 * @returns {Promise<() => void>}
 */
export async function schedulesPage(main) {
  const render = async () => {
    const { schedules } = await apiGet('schedules');
    const rows = schedules.map((/** @type {any} */ schedule) => row(schedule, render));
    replace(main, el('h1', {}, 'Schedules'),
      el('div', { 'data-testid': 'schedule-table' },
        table(['Job', 'Schedule', 'State', 'Next runs', 'Last run', 'Actions'], rows, 'No recurring schedules are stored.')));
    const tbody = main.querySelector('tbody');
    schedules.forEach((/** @type {any} */ schedule, /** @type {number} */ index) => tbody?.children[index]?.setAttribute('data-job', schedule.jobName));
  };
  try {
    await render();
  } catch (error) {
    showLoadError(main, 'Schedules', error);
  }
  return () => {};
}
