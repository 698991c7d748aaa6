/** Longest accepted job name, in characters (the stores' `job_name` columns hold 200). */
export const jobNameMaxLength = 200;
/** Longest accepted queue name, in characters. */
export const queueNameMaxLength = 100;
/** Smallest and largest priority: a 32-bit signed integer, the stores' `priority` column. */
export const priorityRange = { min: -2_147_483_648, max: 2_147_483_647 } as const;

// C0 and C1 control characters: they break logs, terminals and the dashboard.
// eslint-disable-next-line no-control-regex
const controlCharacter = /[\u0000-\u001f\u007f-\u009f]/;
/** Letters, digits, `.`, `_`, `:` and `-`, starting with a letter or digit. */
const queueNamePattern = /^[A-Za-z0-9][A-Za-z0-9._:-]*$/;

/** Why `name` is not a usable job name, or `undefined` if it is. */
export function jobNameProblem(name: unknown): string | undefined {
  if (typeof name !== 'string') return `must be a string, got ${typeof name}.`;
  if (name.trim() === '') return 'must not be empty.';
  if (name.trim() !== name) return `must not start or end with spaces; use "${name.trim()}".`;
  if (name.length > jobNameMaxLength) return `must be at most ${jobNameMaxLength} characters (got ${name.length}).`;
  if (controlCharacter.test(name)) return 'must not contain control characters (newlines, tabs, …).';
  return undefined;
}

/** Why `queue` is not a usable queue name, or `undefined` if it is. */
export function queueNameProblem(queue: unknown): string | undefined {
  if (typeof queue !== 'string') return `must be a string, got ${typeof queue}.`;
  if (queue.length === 0 || queue.length > queueNameMaxLength) {
    return `must be 1 to ${queueNameMaxLength} characters (got ${queue.length}).`;
  }
  if (!queueNamePattern.test(queue)) {
    return `"${queue}" must use letters, digits, ".", "_", ":" and "-" only, starting with a letter or digit (e.g. "emails").`;
  }
  return undefined;
}

/** Why `priority` is not a usable priority, or `undefined` if it is. */
export function priorityProblem(priority: unknown): string | undefined {
  if (typeof priority !== 'number' || !Number.isInteger(priority)) return `must be an integer, got ${String(priority)}.`;
  if (priority < priorityRange.min || priority > priorityRange.max) {
    return `must be a 32-bit integer (${priorityRange.min} to ${priorityRange.max}), got ${priority}.`;
  }
  return undefined;
}
