/**
 * The command's arguments. pnpm 12 passes the `--` of `pnpm … bench -- --n 5000` on to the script,
 * where `parseArgs` would reject it as a positional argument, so a leading `--` is dropped.
 */
export function cliArgs(): string[] {
  const args = process.argv.slice(2);
  return args[0] === '--' ? args.slice(1) : args;
}
