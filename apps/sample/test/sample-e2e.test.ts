import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { childEnv, runCliProcess, startSample, waitFor, type SampleProcess } from './process-helpers.js';

interface RunView {
  run: { status: string };
  attempts: { outcome: string }[];
}

// The whole newcomer path with real processes: the app on a fresh SQLite file, its HTTP route, the
// CLI reading the same database, and a clean exit on SIGTERM.
describe('sample app end to end (SQLite)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'durably-sample-e2e-'));
  const databaseUrl = `sqlite:${join(dir, 'durably.db')}`;
  let app: SampleProcess | undefined;

  afterAll(() => {
    if (app && app.child.exitCode === null && app.child.signalCode === null) app.child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  it('runs a report enqueued over HTTP (seen through the CLI), retries a payment, cancels a video, exits 0 on SIGTERM', async () => {
    // PORT=0: the OS picks a free port, and the app logs the URL it bound.
    app = startSample(childEnv({ DURABLY_DATABASE_URL: databaseUrl, PORT: '0', SAMPLE_DEMO_RUNS: '0' }));
    const started = app;
    const baseUrl = await waitFor(
      'the app to listen',
      () => {
        if (started.child.exitCode !== null) throw new Error(`the app exited early: ${started.stderr()}`);
        const line = started.lines.find((text) => text.includes('"url"'));
        return line ? (JSON.parse(line) as { url: string }).url : undefined;
      },
      60_000,
    );

    const response = await fetch(`${baseUrl}/reports`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ customerId: 'acme', month: '2026-11' }),
    });
    expect(response.status).toBe(202);
    const { runId } = (await response.json()) as { runId: string };
    expect(runId).toMatch(/^[0-9a-f-]{36}$/);

    const cliEnv = childEnv({ DURABLY_DATABASE_URL: databaseUrl });
    const shown = await waitFor(
      'the run to succeed',
      async () => {
        const result = await runCliProcess(['runs', 'show', runId, '--json'], cliEnv);
        expect(result.code, result.stderr).toBe(0);
        const parsed = JSON.parse(result.stdout) as {
          run: { status: string };
          attempts: { outcome: string }[];
          logs: { message: string }[];
        };
        expect(['pending', 'leased', 'succeeded']).toContain(parsed.run.status);
        return parsed.run.status === 'succeeded' ? parsed : undefined;
      },
      60_000,
      500,
    );
    expect(shown.attempts.map((attempt) => attempt.outcome)).toEqual(['succeeded']);
    expect(shown.logs.map((line) => line.message).join('\n')).toContain('report ready');

    // The dashboard's API is mounted under /admin (local requests only, without SAMPLE_ADMIN_TOKEN).
    const health = await fetch(`${baseUrl}/admin/api/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ status: 'ok', provider: 'sqlite' });
    expect(started.lines.some((line) => line.includes(`"dashboard":"${baseUrl}/admin/"`))).toBe(true);

    // The HTTP view of the same run agrees.
    const viaHttp = (await (await fetch(`${baseUrl}/runs/${runId}`)).json()) as { run: { status: string } };
    expect(viaHttp.run.status).toBe('succeeded');

    // An unknown run id is exit code 3 with one line on stderr, for scripts.
    const missing = await runCliProcess(
      ['runs', 'show', '00000000-0000-0000-0000-000000000000', '--json'],
      cliEnv,
    );
    expect(missing.code).toBe(3);
    expect(missing.stderr.trim().split('\n')).toHaveLength(1);

    // The flaky payment succeeds on its third attempt after two backoff delays (2 s, then 4 s), and
    // the long transcode stops when cancelled.
    const post = async (path: string, body: unknown) =>
      (await (
        await fetch(`${baseUrl}${path}`, { method: 'POST', body: JSON.stringify(body) })
      ).json()) as Record<string, string>;
    const getRun = async (id: string) => (await (await fetch(`${baseUrl}/runs/${id}`)).json()) as RunView;
    const payment = await post('/payments', { orderId: 'ORD-1', amountCents: 1_000 });
    const video = await post('/videos', { videoId: 'intro' });
    await waitFor(
      'the video to start',
      async () => ((await getRun(video.runId!)).run.status === 'leased' ? true : undefined),
      30_000,
    );
    expect((await post(`/runs/${video.runId}/cancel`, {})).outcome).toBe('cancel_requested');
    const cancelled = await waitFor(
      'the video to be cancelled',
      async () => {
        const view = await getRun(video.runId!);
        return view.run.status === 'cancelled' ? view : undefined;
      },
      30_000,
    );
    expect(cancelled.attempts.map((attempt) => attempt.outcome)).toEqual(['cancelled']);
    const paid = await waitFor(
      'the payment to succeed',
      async () => {
        const view = await getRun(payment.runId!);
        return view.run.status === 'succeeded' ? view : undefined;
      },
      30_000,
    );
    expect(paid.attempts.map((attempt) => attempt.outcome)).toEqual([
      'retry_scheduled',
      'retry_scheduled',
      'succeeded',
    ]);

    started.child.kill('SIGTERM');
    expect(await started.exited).toBe(0);
    expect(started.lines.some((line) => line.includes('stopped cleanly'))).toBe(true);
  });

  it('refuses a bad DURABLY_DATABASE_URL with one clear line and exit code 1', async () => {
    const bad = startSample(childEnv({ DURABLY_DATABASE_URL: 'redis://localhost:6379', PORT: '0' }));
    expect(await bad.exited).toBe(1);
    const stderr = bad.stderr().trim();
    expect(stderr.split('\n')).toHaveLength(1);
    expect(stderr).toContain('DURABLY_DATABASE_URL');
    expect(stderr).toContain('postgres://');
    expect(stderr).not.toContain('    at ');
  });
});
