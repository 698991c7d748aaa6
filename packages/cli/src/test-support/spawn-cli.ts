import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const packageDir = fileURLToPath(new URL('../..', import.meta.url));
/** The bin run from sources through tsx (no build), as a user of a TypeScript config module would. */
export const sourceBin = [
  '--conditions=@durably/source',
  '--import',
  'tsx',
  fileURLToPath(new URL('../bin.ts', import.meta.url)),
];
/** The built bin, as installed users run it. */
export const builtBin = fileURLToPath(new URL('../../dist/bin.js', import.meta.url));

/** A CLI process with its output collected. */
export interface CliProcess {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  exited: Promise<number | string>;
}

/** Starts `node <nodeArgs> <args>` in the package folder with exactly `env` (plus PATH). */
export function spawnCli(
  nodeArgs: readonly string[],
  args: readonly string[],
  env: NodeJS.ProcessEnv,
): CliProcess {
  const child = spawn(process.execPath, [...nodeArgs, ...args], {
    cwd: packageDir,
    env: { PATH: process.env.PATH, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const exited = new Promise<number | string>((resolve) =>
    child.once('exit', (code, signal) => resolve(code ?? signal ?? 'unknown')),
  );
  return { child, stdout: () => stdout, stderr: () => stderr, exited };
}
