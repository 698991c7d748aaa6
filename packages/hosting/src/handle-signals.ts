/** The slice of `process` the signal handling uses (injectable for tests). */
export interface SignalProcess {
  once(signal: NodeJS.Signals, listener: () => void): unknown;
  removeListener(signal: NodeJS.Signals, listener: () => void): unknown;
  exit(code: number): unknown;
}

/** Exit codes a shell reports for a process ended by these signals (128 + signal number). */
const signalExitCodes: Partial<Record<NodeJS.Signals, number>> = { SIGINT: 130, SIGTERM: 143 };

/**
 * Installs SIGTERM/SIGINT handling: the first signal calls `shutdown()` (the graceful drain within
 * `shutdownGraceSeconds`). When it is over the process exits with code 0, or 1 when `shutdown`
 * rejected — unless `exitOnSignal` is `false`, which leaves the process to the application. A
 * second signal while the drain runs exits at once (130 for SIGINT, 143 for SIGTERM, as a shell
 * reports a process killed by them), also with `exitOnSignal: false`: the user asked twice.
 * Returns a function that removes the handlers.
 */
export function handleSignals(input: {
  shutdown(signal: NodeJS.Signals): Promise<void>;
  onSecondSignal?(signal: NodeJS.Signals): void;
  /** Exit the process once the drain is over. Default `true`. */
  exitOnSignal?: boolean;
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
      // `once` removed it: listen for the second signal (of either kind) during the drain.
      install(signal);
      const done = (code: number) => {
        remove();
        if (input.exitOnSignal ?? true) proc.exit(code);
      };
      void input.shutdown(signal).then(
        () => done(0),
        () => done(1),
      );
    };
    listeners.set(signal, listener);
    proc.once(signal, listener);
  };

  for (const signal of signals) install(signal);
  return remove;
}
