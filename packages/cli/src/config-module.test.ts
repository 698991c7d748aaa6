import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CliError } from './cli-error.js';
import { loadConfigModule } from './config-module.js';

describe('loadConfigModule', () => {
  const dir = mkdtempSync(join(tmpdir(), 'durably-config-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const write = (name: string, text: string) => writeFileSync(join(dir, name), text);

  it('reads named exports `jobs` and `options`, by a path relative to cwd', async () => {
    write(
      'named.mjs',
      `export const jobs = [{ name: 'a' }]; export const options = { pollIntervalSeconds: 2 };`,
    );
    const config = await loadConfigModule('named.mjs', dir);
    expect(config.jobs.map((job) => job.name)).toEqual(['a']);
    expect(config.options).toEqual({ pollIntervalSeconds: 2 });
  });

  it('reads a default export { jobs, options } and defaults options to {}', async () => {
    write('default.mjs', `export default { jobs: [{ name: 'b' }] };`);
    expect(await loadConfigModule(join(dir, 'default.mjs'), '/')).toEqual({
      jobs: [{ name: 'b' }],
      options: {},
    });
  });

  it.each([
    ['nojobs.mjs', `export const tasks = [];`, /must export `jobs`/],
    [
      'badoptions.mjs',
      `export const jobs = []; export const options = 5;`,
      /`options` export .* must be an object/,
    ],
    ['missing.mjs', undefined, /cannot load "missing.mjs"/],
  ])('refuses %s with a usage error', async (name, text, message) => {
    if (text !== undefined) write(name, text);
    const error = await loadConfigModule(name, dir).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(CliError);
    expect((error as CliError).exitCode).toBe(2);
    expect((error as CliError).message).toMatch(message);
  });

  it('reports a module that throws while loading as a runtime failure (exit 1)', async () => {
    write('throws.mjs', `throw new Error('database password missing');`);
    const error = (await loadConfigModule('throws.mjs', dir).catch((caught: unknown) => caught)) as CliError;
    expect(error.exitCode).toBe(1);
    expect(error.message).toContain('database password missing');
  });
});
