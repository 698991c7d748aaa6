import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startIngestionServer, type IngestionServer } from './test-support/ingestion-server.js';

const run = promisify(execFile);
const script = fileURLToPath(new URL('./test-support/flush-on-exit.ts', import.meta.url));

let server: IngestionServer;
beforeEach(async () => {
  server = await startIngestionServer();
});
afterEach(async () => {
  await server.close();
});

describe('HTTP ingestion sink at process exit', () => {
  it('close() in a real process waits through a retry backoff, delivers, and lets the process exit', async () => {
    server.behave((index) => (index === 0 ? 500 : 202));
    const { stdout } = await run(
      process.execPath,
      ['--conditions=@durably/source', '--import', 'tsx', script, server.baseUrl],
      { timeout: 20_000 },
    );
    expect(stdout).toMatch(/^closed /);
    expect(JSON.parse(stdout.slice('closed '.length))).toMatchObject({ sentEvents: 1, failedRequests: 1 });
    expect(server.acceptedEvents().map((event) => event.runId)).toEqual(['run-1']);
  });
});
