#!/usr/bin/env node
import { runCli } from './run-cli.js';

// No signal handling here: `durably worker` uses hosting's (drain, then exit 0; a second signal
// exits at once), and the short commands and `dashboard` hold nothing that a signal's default
// (ending the process) would lose.
const code = await runCli(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
});
process.exit(code);
