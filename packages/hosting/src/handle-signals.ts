/** The slice of `process` the signal handling uses (injectable for tests). */
export interface SignalProcess {
  once(signal: NodeJS.Signals, listener: () => void): unknown;
  removeListener(signal: NodeJS.Signals, listener: () => void): unknown;
  listenerCount(signal: NodeJS.Signals): number;
  kill(pid: number, signal: NodeJS.Signals): unknown;
  exit(code: number): unknown;
  readonly pid: number;
}

/** Exit codes a shell reports for a process ended by these signals (128 + signal number). */
const signalExitCodes: Partial<Record<NodeJS.Signals, number>> = { SIGINT: 130, SIGTERM: 143 };

/**
 * Installs SIGTERM/SIGINT handling: the first signal calls `shutdown()` (the graceful drain within
 * `shutdownGraceSeconds`); a second signal while it runs exits at once. When the drain is over and
 * nothing else in the application listens for the signal, the signal is raised again so the process
 * ends the way it would have without Durably (an app with its own listeners decides for itself).
 * Returns a function that removes the handlers.
 */
export function handleSignals(input: {
  shutdown(signal: NodeJS.Signals): Promise<void>;
  onSecondSignal?(signal: NodeJS.Signals): void;
  signals?: readonly NodeJS.Signals[];
  proc?: SignalProcess;
}): () => void {
  const proc = input.proc ?? process;
  const signals = input.signals ?? ['SIGTERM', 'SIGINT'];
  let shuttingDown = false;
  const listeners = new Map<NodeJS.Signals, () => void>();

  const remove = () => {
    for (const [signal, listener] of listeners) proc.removeListener(signal, listener);
    listeners.clear();
  };

  const install = (signal: NodeJS.Signals) => {
    const listener = () => {
      listeners.delete(signal);
      if (shuttingDown) {
        input.onSecondSignal?.(signal);
        proc.exit(signalExitCodes[signal] ?? 1);
        return;
      }
      shuttingDown = true;
      install(signal); // `once` removed it: listen for the second signal
      const done = () => {
        remove();
        if (proc.listenerCount(signal) === 0) proc.kill(proc.pid, signal);
      };
      void input.shutdown(signal).then(done, done);
    };
    listeners.set(signal, listener);
    proc.once(signal, listener);
  };

  for (const signal of signals) install(signal);
  return remove;
}
