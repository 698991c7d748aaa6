import { describe, expect, it } from 'vitest';
import { cli } from './test-support/cli-harness.js';

// Behaviour that does not depend on a provider: help, usage errors, connection errors.
describe('runCli', () => {
  it('prints the command list with --help (exit 0) and without a command (exit 2)', async () => {
    const help = await cli(['--help'], {});
    expect(help.code).toBe(0);
    for (const name of [
      'migrate',
      'status',
      'runs show <runId>',
      'enqueue <job>',
      'retry',
      'cancel',
      'schedules set-cron',
      'worker',
    ]) {
      expect(help.stdout).toContain(name);
    }
    expect(help.stdout).toContain('Exit codes: 0 ok, 1 runtime failure, 2 usage or bad input, 3 not found.');
    const bare = await cli([], {});
    expect(bare.code).toBe(2);
    expect(bare.stderr).toContain('Usage: durably <command>');
  });

  it('prints its version', async () => {
    const result = await cli(['--version'], {});
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^\d+\.\d+\.\d+\n$/);
  });

  it("prints a command's own help", async () => {
    const help = await cli(['runs', '--help'], {});
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('--status');
    expect((await cli(['schedules', 'set-cron', '--help'], {})).stdout).toContain('--tz <zone>');
  });

  it('accepts `runs list` and `schedules list` as names of the list commands', async () => {
    for (const args of [
      ['runs', 'list', '--help'],
      ['schedules', 'list', '--help'],
    ]) {
      const help = await cli(args, {});
      expect(help.code).toBe(0);
      expect(help.stdout).toMatch(/^Usage: durably (runs|schedules) \[flags\]/);
    }
  });

  it.each([
    [['frobnicate'], /unknown command "frobnicate"/],
    [['--json'], /no command given/],
    [['runs', '--limt', '3'], /Unknown option '--limt'. Run `durably runs --help`/],
    [['status'], /Invalid option `DURABLY_DATABASE_URL`: no database URL is set/],
    [['status', '--database-url', 'redis://x'], /`--database-url`: the scheme "redis:" is not supported/],
    [['--database-url', 'nope', 'status'], /`--database-url`: "nope" has no scheme/],
  ])('refuses %j with exit code 2 and one line', async (args, message) => {
    const result = await cli(args, {});
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('refuses an unknown DURABLY_* variable, naming it', async () => {
    const result = await cli(['status'], {
      DURABLY_DATABASE_URL: 'sqlite:/tmp/x.db',
      DURABLY_POLL_INTERVAL: '5',
    });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('DURABLY_POLL_INTERVAL');
  });

  it('fails with exit code 1 and one line when the database is unreachable', async () => {
    const result = await cli(['status'], { DURABLY_DATABASE_URL: 'postgres://postgres@127.0.0.1:1/test' });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/ECONNREFUSED/);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).not.toContain('    at ');
  });

  it('does not create a missing SQLite file except for migrate', async () => {
    const result = await cli(['runs'], { DURABLY_DATABASE_URL: 'sqlite:/nonexistent-dir/durably.db' });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      /No SQLite database at \/nonexistent-dir\/durably.db \(from DURABLY_DATABASE_URL\)/,
    );
  });
});
