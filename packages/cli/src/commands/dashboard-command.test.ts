import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../run-cli.js';
import { cli, fixtureConfig, sqliteTestDatabase, waitFor } from '../test-support/cli-harness.js';

const token = 'dashboard-test-token-0123456789abcdef';

/** Starts `durably dashboard …` in-process, waits for its URL, and returns how to stop it. */
async function startDashboard(args: readonly string[], env: NodeJS.ProcessEnv) {
  const controller = new AbortController();
  let stdout = '';
  let stderr = '';
  const exited = runCli(['dashboard', '--port', '0', '--json', ...args], {
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text) },
    env,
    signal: controller.signal,
  });
  let code: number | undefined;
  void exited.then((value) => (code = value));
  const { url } = await waitFor('the dashboard to listen', async () => {
    if (code !== undefined) throw new Error(`dashboard exited ${code}: ${stderr}`);
    return stdout.includes('"url"') ? (JSON.parse(stdout) as { url: string }) : undefined;
  });
  return {
    url,
    stderr: () => stderr,
    async stop() {
      controller.abort();
      return exited;
    },
  };
}

describe('durably dashboard (SQLite)', () => {
  const db = sqliteTestDatabase();
  const env = { DURABLY_DATABASE_URL: db.url };
  beforeAll(async () => {
    expect((await cli(['migrate'], env)).code).toBe(0);
  });
  afterAll(() => db.drop());

  it('serves the health route and the dashboard to local requests without a token, and stops on abort', async () => {
    const dashboard = await startDashboard(['--config', fixtureConfig], env);
    expect(dashboard.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/admin\/$/);
    const health = await fetch(`${dashboard.url}api/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ status: 'ok', provider: 'sqlite' });
    expect((await fetch(dashboard.url)).headers.get('content-type')).toContain('text/html');
    // The --config module's jobs are the registry: stats list them even with no runs yet.
    const stats = await (await fetch(`${dashboard.url}api/stats`)).text();
    expect(stats).toContain('test.greet');
    expect(await dashboard.stop()).toBe(0);
    await expect(fetch(`${dashboard.url}api/health`)).rejects.toThrow();
  });

  it('requires the bearer token from DURABLY_ADMIN_TOKEN', async () => {
    const dashboard = await startDashboard([], { ...env, DURABLY_ADMIN_TOKEN: token });
    expect((await fetch(`${dashboard.url}api/health`)).status).toBe(401);
    const authorized = await fetch(`${dashboard.url}api/health`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(authorized.status).toBe(200);
    expect(await dashboard.stop()).toBe(0);
  });

  it.each([
    [['--host', '0.0.0.0'], {}, /without a token the dashboard only listens on loopback/],
    [['--token', 'short'], {}, /--token: needs at least 24 characters/],
    [[], { DURABLY_ADMIN_TOKEN: 'short' }, /DURABLY_ADMIN_TOKEN: needs at least 24 characters/],
    [['--port', '70000'], {}, /--port: expected 0-65535/],
    [['--port', 'abc'], {}, /--port: expected an integer/],
  ] as const)('refuses %j with exit code 2 and one line', async (args, extraEnv, message) => {
    const result = await cli(['dashboard', ...args], { ...env, ...extraEnv });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
  });
});
