import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli, fixtureConfig, waitFor, type TestDatabase } from './cli-harness.js';

interface RunJson {
  run: {
    runId: string;
    status: string;
    jobName: string;
    payload: unknown;
    maxAttempts: number;
    runAt: string;
    priority: number;
    queue: string;
  };
  attempts: { outcome: string }[];
  logs: { message: string }[];
}

/**
 * Every CLI command against one provider, in-process through `runCli`: the happy path of each and
 * each bad input with its exit code. Tests share one fresh database and run in order.
 */
export function describeCliCommands(createDatabase: () => TestDatabase): void {
  let db: TestDatabase;
  let env: NodeJS.ProcessEnv;
  const withConfig = (...args: string[]) => [...args, '--config', fixtureConfig];

  beforeAll(async () => {
    db = createDatabase();
    await db.create?.();
    env = { DURABLY_DATABASE_URL: db.url };
    const migrated = await cli(['migrate'], env);
    expect(migrated.stderr).toBe('');
    expect(migrated.code, migrated.stderr).toBe(0);
  });
  afterAll(async () => db?.drop());

  describe('migrate and status', () => {
    it('migrate is idempotent and says so, as text and JSON', async () => {
      const again = await cli(['migrate'], env);
      expect(again.code, again.stderr).toBe(0);
      expect(again.stdout).toBe(`Schema is up to date (${db.name}).\n`);
      const json = await cli(['migrate', '--json'], env);
      expect(json.json()).toEqual({ migrated: true, provider: db.name });
    });

    it('status on an empty database counts zero of every status', async () => {
      const result = await cli(['status', '--json'], env);
      expect(result.code).toBe(0);
      const status = result.json<{
        counts: Record<string, number>;
        workers: unknown[];
        schedules: unknown[];
      }>();
      expect(Object.values(status.counts).every((count) => count === 0)).toBe(true);
      expect(Object.keys(status.counts)).toContain('waiting_retry');
      expect(status.workers).toEqual([]);
      const text = await cli(['status'], env);
      expect(text.stdout).toContain('STATUS');
      expect(text.stdout).toContain('Next schedules');
    });
  });

  it('points at `durably migrate` when the database has no Durably tables', async () => {
    const fresh = createDatabase();
    await fresh.create?.();
    try {
      const result = await cli(['status'], { DURABLY_DATABASE_URL: fresh.url });
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(/durably migrate/);
      expect(result.stderr.trim().split('\n')).toHaveLength(1);
    } finally {
      await fresh.drop();
    }
  });

  describe('enqueue', () => {
    it('enqueues a job of the config module, checked by its schema', async () => {
      const result = await cli(
        withConfig('enqueue', 'test.greet', '--payload', '{"name":"Ada"}', '--json'),
        env,
      );
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      const { runId } = result.json<{ runId: string }>();
      const shown = (await cli(['runs', 'show', runId, '--json'], env)).json<RunJson>();
      expect(shown.run).toMatchObject({ jobName: 'test.greet', status: 'pending', payload: { name: 'Ada' } });
    });

    it('takes --delay, --key, --queue and --priority', async () => {
      const args = withConfig(
        'enqueue',
        'test.greet',
        '--payload',
        '{"name":"Bo"}',
        '--delay',
        '1h',
        '--key',
        'k1',
        '--queue',
        'slow',
        '--priority',
        '7',
        '--json',
      );
      const first = (await cli(args, env)).json<{ runId: string }>();
      const again = (await cli(args, env)).json<{ runId: string }>();
      expect(again.runId).toBe(first.runId); // the key keeps the existing run
      const { run } = (await cli(['runs', 'show', first.runId, '--json'], env)).json<RunJson>();
      expect(run).toMatchObject({ queue: 'slow', priority: 7 });
      expect(new Date(run.runAt).getTime()).toBeGreaterThan(Date.now() + 50 * 60_000);
    });

    it('enqueues an unknown job by name with --allow-unknown', async () => {
      const result = await cli(
        [
          'enqueue',
          'elsewhere.job',
          '--allow-unknown',
          '--max-attempts',
          '5',
          '--payload',
          '[1,2]',
          '--json',
        ],
        env,
      );
      expect(result.code).toBe(0);
      const { run } = (
        await cli(['runs', 'show', result.json<{ runId: string }>().runId, '--json'], env)
      ).json<RunJson>();
      expect(run).toMatchObject({ jobName: 'elsewhere.job', maxAttempts: 5, payload: [1, 2] });
    });

    it.each([
      [['enqueue', 'test.greet', '--payload', '{"name":"x"}'], 2, /needs --config <module>.*--allow-unknown/],
      [
        withConfig('enqueue', 'nope.job'),
        3,
        /defines no job "nope.job" \(it has: test.greet, test.nightly, test.refuse\)/,
      ],
      [withConfig('enqueue', 'test.greet', '--payload', '{name: x}'), 2, /--payload: not valid JSON/],
      [withConfig('enqueue', 'test.greet', '--payload', '{"name": 3}'), 2, /name must be a string/],
      [withConfig('enqueue', 'test.greet', '--payload', '{"name":"x"}', '--delay', 'soon'), 2, /delay/],
      [
        withConfig('enqueue', 'test.greet', '--payload', '{"name":"x"}', '--priority', 'high'),
        2,
        /--priority: expected an integer/,
      ],
      [
        withConfig('enqueue', 'test.greet', '--max-attempts', '2', '--payload', '{"name":"x"}'),
        2,
        /--max-attempts applies only/,
      ],
      [
        ['enqueue', 'x', '--allow-unknown', '--max-attempts', '0'],
        2,
        /--max-attempts: expected a positive integer/,
      ],
      [['enqueue'], 2, /missing <job>/],
      [['enqueue', 'x', '--allow-unknown', '--config', './no-such-module.js'], 2, /--config: cannot load/],
    ])('refuses %j with exit code %i', async (args, code, message) => {
      const result = await cli(args, env);
      expect(result.code).toBe(code);
      expect(result.stderr).toMatch(message);
      expect(result.stderr.trim().split('\n')).toHaveLength(1);
      expect(result.stdout).toBe('');
    });
  });

  describe('runs, cancel and retry', () => {
    it('lists runs with --status, --job and --limit, as a table and as JSON', async () => {
      const all = (await cli(['runs', '--json'], env)).json<{
        runs: { runId: string; jobName: string; status: string }[];
      }>();
      expect(all.runs.length).toBe(3);
      const greet = (await cli(['runs', '--job', 'test.greet', '--json'], env)).json<{ runs: unknown[] }>();
      expect(greet.runs).toHaveLength(2);
      const limited = (await cli(['runs', '--limit', '1', '--json'], env)).json<{ runs: unknown[] }>();
      expect(limited.runs).toHaveLength(1);
      const first = (await cli(['runs', '--limit', '2', '--json'], env)).json<{
        runs: { runId: string }[];
        nextCursor: string;
      }>();
      const rest = (await cli(['runs', '--limit', '2', '--cursor', first.nextCursor, '--json'], env)).json<{
        runs: { runId: string }[];
        nextCursor: null;
      }>();
      expect([...first.runs, ...rest.runs].map((run) => run.runId)).toEqual(all.runs.map((run) => run.runId));
      expect(rest.nextCursor).toBeNull();
      expect((await cli(['runs', '--limit', '2'], env)).stdout).toContain(
        `More runs: add --cursor ${first.nextCursor}`,
      );
      const badCursor = await cli(['runs', '--cursor', 'garbage'], env);
      expect(badCursor.code).toBe(2);
      expect(badCursor.stderr).toMatch(/cursor/);
      const none = (await cli(['runs', '--status', 'failed,cancelled', '--json'], env)).json<{
        runs: unknown[];
      }>();
      expect(none.runs).toHaveLength(0);
      const table = await cli(['runs'], env);
      expect(table.stdout.split('\n')[0]).toMatch(/^RUN ID\s+JOB\s+STATUS\s+ATTEMPT/);
      expect(table.stdout).toContain('elsewhere.job');
    });

    it.each([
      [['runs', '--status', 'done'], 2, /--status: unknown status "done"; use one of pending/],
      [['runs', '--limit', '-3'], 2, /--limit/],
      [['runs', '--limit', 'ten'], 2, /--limit: expected a positive integer/],
      [['runs', 'show'], 2, /missing <runId>/],
      [['runs', 'show', 'a', 'b'], 2, /unexpected argument "b"/],
      [
        ['runs', 'show', '3f1c1a9e-0000-4000-8000-000000000000'],
        3,
        /No run with id "3f1c1a9e-0000-4000-8000-000000000000"/,
      ],
      [['cancel', '3f1c1a9e-0000-4000-8000-000000000000'], 3, /No run with id/],
      [['retry', '3f1c1a9e-0000-4000-8000-000000000000'], 3, /No run with id/],
    ])('refuses %j with exit code %i', async (args, code, message) => {
      const result = await cli(args, env);
      expect(result.code).toBe(code);
      expect(result.stderr).toMatch(message);
      expect(result.stderr.trim().split('\n')).toHaveLength(1);
    });

    it('cancels a pending run, says so for a finished one, and retries it', async () => {
      const { runId } = (await cli(['enqueue', 'to.cancel', '--allow-unknown', '--json'], env)).json<{
        runId: string;
      }>();
      const cancelled = await cli(['cancel', runId, '--json'], env);
      expect(cancelled.code).toBe(0);
      expect(cancelled.json()).toEqual({ runId, outcome: 'cancelled', status: 'cancelled' });
      const again = await cli(['cancel', runId], env);
      expect(again.code).toBe(0);
      expect(again.stdout).toContain('had already finished; nothing to cancel');

      const retried = await cli(['retry', runId, '--json'], env);
      expect(retried.code).toBe(0);
      expect(retried.json()).toEqual({ runId, outcome: 'retried', status: 'pending' });
      const active = await cli(['retry', runId], env);
      expect(active.code).toBe(0);
      expect(active.stdout).toContain('is pending; nothing to retry');
      const { run } = (await cli(['runs', 'show', runId, '--json'], env)).json<RunJson>();
      expect(run.status).toBe('pending');
    });

    it('shows a run as readable text', async () => {
      const { runId } = (
        await cli(withConfig('enqueue', 'test.greet', '--payload', '{"name":"Text"}', '--json'), env)
      ).json<{ runId: string }>();
      const shown = await cli(['runs', 'show', runId], env);
      expect(shown.code).toBe(0);
      expect(shown.stdout).toMatch(/Job:\s+test\.greet/);
      expect(shown.stdout).toContain('Payload:      {"name":"Text"}');
      expect(shown.stdout).toContain('(no finished attempt yet)');
    });
  });

  describe('worker and schedules', () => {
    it('runs a worker from a config module until aborted, then exits 0', async () => {
      const controller = new AbortController();
      const workerEnv = { ...env, DURABLY_WORKER_NAME: `cli-test-${db.name}` };
      let workerEnded: string | undefined;
      const worker = cli(withConfig('worker', '--log-level', 'warn'), workerEnv, controller.signal).then(
        (result) => {
          workerEnded = `worker ended early with ${result.code}: ${result.stderr}${result.stdout}`;
          return result;
        },
      );
      const { runId } = (
        await cli(withConfig('enqueue', 'test.greet', '--payload', '{"name":"Worker"}', '--json'), env)
      ).json<{ runId: string }>();
      const done = await waitFor('the run to succeed', async () => {
        if (workerEnded !== undefined && !controller.signal.aborted) throw new Error(workerEnded);
        const shown = (await cli(['runs', 'show', runId, '--json'], env)).json<RunJson>();
        return shown.run.status === 'succeeded' ? shown : undefined;
      });
      expect(done.attempts.map((attempt) => attempt.outcome)).toEqual(['succeeded']);
      expect(done.logs.map((line) => line.message)).toEqual(['hello Worker']);

      const refused = (await cli(withConfig('enqueue', 'test.refuse', '--json'), env)).json<{
        runId: string;
      }>();
      await waitFor('the run to fail', async () => {
        const shown = (await cli(['runs', 'show', refused.runId, '--json'], env)).json<RunJson>();
        return shown.run.status === 'failed' ? shown : undefined;
      });
      const text = (await cli(['runs', 'show', refused.runId], env)).stdout;
      expect(text).toMatch(/Status:\s+failed/);
      expect(text).toContain('Error:        NonRetryableError: order was already refunded');
      expect(text).toMatch(/^1\s+cli-test-\w+\s+.*failed\s+NonRetryableError: order was already refunded$/m);
      expect(text).toMatch(/warn\s+checking the order/);
      const failed = (await cli(['runs', '--status', 'failed', '--json'], env)).json<{
        runs: { runId: string }[];
      }>();
      expect(failed.runs.map((run) => run.runId)).toEqual([refused.runId]);
      const status = (await cli(['status', '--json'], env)).json<{
        workers: { workerName: string }[];
        schedules: { jobName: string }[];
      }>();
      expect(status.workers.map((w) => w.workerName)).toContain(`cli-test-${db.name}`);
      expect(status.schedules.map((s) => s.jobName)).toEqual(['test.nightly']);
      controller.abort();
      const result = await worker;
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
    });

    it('lists schedules with their next slot', async () => {
      const result = await cli(['schedules', '--json'], env);
      const { schedules } = result.json<{
        schedules: {
          jobName: string;
          enabled: boolean;
          nextRunAt: string;
          upcoming: string[];
          description: string;
        }[];
      }>();
      expect(schedules).toHaveLength(1);
      expect(schedules[0]).toMatchObject({
        jobName: 'test.nightly',
        enabled: true,
        description: 'at 03:00 every day (Europe/Berlin)',
      });
      expect(schedules[0]!.upcoming).toHaveLength(3);
      const table = await cli(['schedules'], env);
      expect(table.stdout).toMatch(/test\.nightly\s+enabled\s+0 3 \* \* \*\s+Europe\/Berlin/);
    });

    it('disables, enables and re-crons a schedule', async () => {
      const disabled = (await cli(['schedules', 'disable', 'test.nightly', '--json'], env)).json<{
        schedule: { enabled: boolean; nextRunAt: string | null };
      }>();
      expect(disabled.schedule).toMatchObject({ enabled: false, nextRunAt: null });
      const enabled = (await cli(['schedules', 'enable', 'test.nightly', '--json'], env)).json<{
        schedule: { enabled: boolean; nextRunAt: string | null };
      }>();
      expect(enabled.schedule.enabled).toBe(true);
      expect(enabled.schedule.nextRunAt).not.toBeNull();
      const recron = await cli(
        ['schedules', 'set-cron', 'test.nightly', '30 6 * * 1', '--tz', 'America/New_York'],
        env,
      );
      expect(recron.code).toBe(0);
      expect(recron.stdout).toContain('30 6 * * 1 (America/New_York), next run');
      // An unquoted expression arrives as several arguments and is joined back.
      const unquoted = (
        await cli(['schedules', 'set-cron', 'test.nightly', '0', '4', '*', '*', '*', '--json'], env)
      ).json<{ schedule: { cron: string; timeZone: string } }>();
      expect(unquoted.schedule).toMatchObject({ cron: '0 4 * * *', timeZone: 'America/New_York' });
    });

    it('runs a scheduled job now, leaving the schedule as it was', async () => {
      const before = (await cli(['schedules', '--json'], env)).json<{ schedules: { nextRunAt: string }[] }>();
      const result = await cli(withConfig('schedules', 'run-now', 'test.nightly', '--json'), env);
      expect(result.code).toBe(0);
      const { run } = (
        await cli(['runs', 'show', result.json<{ runId: string }>().runId, '--json'], env)
      ).json<RunJson & { run: { origin: string } }>();
      expect(run).toMatchObject({ jobName: 'test.nightly', origin: 'run-now' });
      const after = (await cli(['schedules', '--json'], env)).json<{ schedules: { nextRunAt: string }[] }>();
      expect(after.schedules[0]!.nextRunAt).toBe(before.schedules[0]!.nextRunAt);
    });

    it('runs a schedule now by name with --allow-unknown, without the config module', async () => {
      const result = await cli(['schedules', 'run-now', 'test.nightly', '--allow-unknown', '--json'], env);
      expect(result.code, result.stderr).toBe(0);
      const { run } = (
        await cli(['runs', 'show', result.json<{ runId: string }>().runId, '--json'], env)
      ).json<RunJson>();
      expect(run).toMatchObject({ jobName: 'test.nightly', status: 'pending' });
    });

    it.each([
      [['schedules', 'set-cron', 'test.nightly', '61 * * * *'], 2, /minute|61|cron/i],
      [['schedules', 'set-cron', 'test.nightly', '0 3 * * *', '--tz', 'Mars/Olympus'], 2, /Mars\/Olympus/],
      [
        ['schedules', 'set-cron', 'test.nightly', '0 3 * * *', '--tz', 'Eastern Standard Time'],
        2,
        /America\/New_York/,
      ],
      [['schedules', 'set-cron', 'no.such', '0 3 * * *'], 3, /No recurring schedule named "no.such"/],
      [['schedules', 'enable', 'no.such'], 3, /No recurring schedule named "no.such"/],
      [['schedules', 'disable'], 2, /missing <job>/],
      [['schedules', 'run-now', 'test.nightly'], 2, /run-now needs --config/],
      [
        withConfig('schedules', 'run-now', 'no.such', '--allow-unknown'),
        3,
        /No recurring schedule named "no.such"/,
      ],
      [['worker'], 2, /worker needs --config/],
      [['worker', '--config', fixtureConfig, '--log-level', 'loud'], 2, /--log-level: unknown level "loud"/],
    ])('refuses %j with exit code %i', async (args, code, message) => {
      const result = await cli(args, env);
      expect(result.code).toBe(code);
      expect(result.stderr).toMatch(message);
      expect(result.stderr.trim().split('\n')).toHaveLength(1);
    });
  });
}
