import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';

/** A Redis the comparison owns: no snapshots, no append-only file, on a free local port. */
export interface RedisServer {
  readonly port: number;
  stop(): Promise<void>;
}

/**
 * Starts `redis-server` (default `/usr/bin/redis-server`, else `REDIS_SERVER`) without persistence
 * and resolves once it accepts connections. Throws if it does not start within 10 s.
 */
export async function startRedisServer(
  binary = process.env.REDIS_SERVER ?? '/usr/bin/redis-server',
): Promise<RedisServer> {
  const port = await freePort();
  const child = spawn(
    binary,
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  await waitForReady(child, port);
  return {
    port,
    async stop() {
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    },
  };
}

function waitForReady(child: ChildProcess, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`redis-server on port ${port} did not start within 10 s: ${output.slice(-500)}`));
    }, 10_000);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(new Error(`could not start redis-server (${error.message}); set REDIS_SERVER to its path`));
    });
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('Ready to accept connections')) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  });
}

/** A port the kernel just handed out, so very likely still free. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}
