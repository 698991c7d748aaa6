/** How often a whole store-owned transaction is re-run after a lock conflict before giving up. */
export const maxLockConflictRetries = 5;

/**
 * Runs `transaction` (a whole transaction the store owns, never a caller's) again while it fails
 * with a lock conflict (`isLockConflict`: a deadlock victim or lock wait timeout, after which the
 * database rolled the whole transaction back, so re-running it is safe). At most
 * {@link maxLockConflictRetries} re-runs; between them it waits 2^n × (1–2) ms (jitter, so the
 * competing transactions do not collide again in lockstep). Other errors, and the conflict after the
 * last re-run, go up unchanged. `SqlDialectAdapter.runStoreTransaction` uses it with the dialect's
 * `isLockConflict`.
 */
export async function retryOnLockConflict<T>(
  transaction: () => Promise<T>,
  isLockConflict: (error: unknown) => boolean,
): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await transaction();
    } catch (error) {
      if (!isLockConflict(error) || attempt > maxLockConflictRetries) throw error;
      const delayMs = Math.round(2 ** attempt * (1 + Math.random()));
      await new Promise((resolve) => setTimeout(resolve, delayMs));
    }
  }
}
