/**
 * Node socket error codes (`error.code`) of a database that is down, restarting or unreachable:
 * the same work can succeed later. Every network provider's `isTransientError` accepts these,
 * besides its driver's own codes and the server's error numbers.
 */
export const transientSocketCodes: ReadonlySet<string> = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
]);
