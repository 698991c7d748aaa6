import type { WorkAvailableEvent } from '../store.js';

/** The wake-up channel behind the memory store's `subscribeWork`. */
export interface MemoryNotifier {
  subscribe(listener: (event: WorkAvailableEvent) => void): () => void;
  notify(event: WorkAvailableEvent): void;
  clear(): void;
}

/**
 * Delivers each event in a microtask, after the store's state change is complete, so a listener
 * that calls back into the store sees the new run, and a listener that throws cannot fail the
 * write that caused the event (the error is reported with `reportError`-style logging instead).
 */
export function createMemoryNotifier(onListenerError: (error: unknown) => void): MemoryNotifier {
  const listeners = new Set<(event: WorkAvailableEvent) => void>();
  return {
    subscribe(listener) {
      // Wrapped so subscribing the same function twice yields two independent subscriptions.
      const entry = (event: WorkAvailableEvent) => listener(event);
      listeners.add(entry);
      return () => {
        listeners.delete(entry);
      };
    },
    notify(event) {
      if (listeners.size === 0) return;
      const targets = [...listeners];
      queueMicrotask(() => {
        for (const listener of targets) {
          if (!listeners.has(listener)) continue;
          try {
            listener({ ...event });
          } catch (error) {
            onListenerError(error);
          }
        }
      });
    },
    clear() {
      listeners.clear();
    },
  };
}
