// @ts-check
// Messages to the operator (results of actions, API errors), and periodic refresh.
import { ApiError } from './api.js';
import { el, replace } from './dom.js';

/** @type {ReturnType<typeof setTimeout> | undefined} */
let hideTimer;

/**
 * Shows a message above the page (text only).
 * @param {string | Node} message
 * @param {'info' | 'error'} [kind]
 */
export function flash(message, kind = 'info') {
  const box = /** @type {HTMLElement} */ (document.getElementById('flash'));
  box.className = `flash flash-${kind}`;
  replace(box, message);
  box.hidden = false;
  clearTimeout(hideTimer);
  if (kind === 'info') hideTimer = setTimeout(() => (box.hidden = true), 8000);
}

/**
 * Shows an API error (its message is the API's explanation, e.g. why a cron is invalid).
 * @param {unknown} error
 */
export function flashError(error) {
  if (error instanceof ApiError && error.status === 401) flash('You are not signed in, or your session ended. Sign in and reload.', 'error');
  else if (error instanceof ApiError && error.status === 403) flash(`Not allowed: ${error.message}`, 'error');
  else flash(error instanceof Error ? error.message : String(error), 'error');
}

/**
 * An error box in place of a page that could not load.
 * @param {HTMLElement} main
 * @param {string} title
 * @param {unknown} error
 */
export function showLoadError(main, title, error) {
  replace(main, el('h1', {}, title), el('p', { className: 'error', role: 'alert' }, error instanceof Error ? error.message : String(error)));
}

/**
 * Calls `refresh` every `intervalMs` after the previous call settled, until stopped or until it
 * returns `false`. Returns the stop function.
 * @param {() => Promise<boolean | void>} refresh
 * @param {number} intervalMs
 */
export function every(refresh, intervalMs) {
  let stopped = false;
  /** @type {ReturnType<typeof setTimeout> | undefined} */
  let timer;
  const tick = async () => {
    if (stopped) return;
    let again = true;
    try {
      again = (await refresh()) !== false;
    } catch (error) {
      flashError(error);
    }
    if (!stopped && again) timer = setTimeout(tick, intervalMs);
  };
  timer = setTimeout(tick, intervalMs);
  return () => {
    stopped = true;
    clearTimeout(timer);
  };
}

/**
 * A button that runs an action once at a time (disabled while it runs) and reports its errors.
 * @param {string} label
 * @param {() => Promise<void>} action
 * @param {Record<string, unknown>} [props]
 */
export function actionButton(label, action, props = {}) {
  const button = /** @type {HTMLButtonElement} */ (el('button', { type: 'button', ...props }, label));
  button.addEventListener('click', async () => {
    button.disabled = true;
    try {
      await action();
    } catch (error) {
      flashError(error);
    } finally {
      button.disabled = false;
    }
  });
  return button;
}
