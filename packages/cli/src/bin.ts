#!/usr/bin/env node
import { runCli } from './run-cli.js';

// The first SIGTERM/SIGINT asks a long-running command (`durably worker`) to drain and return, so
// the process exits with the command's code (0); a second signal exits at once.
const controller = new AbortController();
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.on(signal, () => {
    if (controller.signal.aborted) process.exit(signal === 'SIGINT' ? 130 : 143);
    controller.abort();
  });
}

const code = await runCli(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
  signal: controller.signal,
});
process.exit(code);
