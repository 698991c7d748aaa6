import { activeRunStatuses, type RunStatus } from '../model.js';

const active: ReadonlySet<RunStatus> = new Set(activeRunStatuses);

/** `pending`, `leased` or `waiting_retry`: the run can still execute. */
export function isActiveStatus(status: RunStatus): boolean {
  return active.has(status);
}
