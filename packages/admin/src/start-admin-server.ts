import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { AdminHandler } from './create-admin-handler.js';
import { createNodeAdminListener } from './create-node-admin-listener.js';

/** Options of `startAdminServer`. */
export interface AdminServerOptions {
  /** TCP port; `0` picks a free one. Default 4100. */
  port?: number;
  /**
   * Interface to listen on. Default `127.0.0.1`, so a dashboard started without thinking is not
   * reachable from the network; use `0.0.0.0` deliberately, with `authorize` set.
   */
  host?: string;
}

/** A running standalone admin server. */
export interface AdminServer {
  /** The dashboard's URL, e.g. `http://127.0.0.1:4100/admin/`. */
  readonly url: string;
  /** Stops accepting connections and closes idle ones; resolves when the server is closed. */
  close(): Promise<void>;
}

/**
 * Serves an admin handler on its own `node:http` server (for a separate ops port, a CLI
 * `dashboard` command or a sidecar process).
 *
 * @example
 * const server = await startAdminServer(createAdminHandler({ store, registry, basePath: '/admin', authorize }));
 * console.log(`dashboard at ${server.url}`);
 */
export async function startAdminServer(handler: AdminHandler, options: AdminServerOptions = {}): Promise<AdminServer> {
  const server = createServer(createNodeAdminListener(handler));
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 4100, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const shownHost = host.includes(':') ? `[${host}]` : host === '0.0.0.0' ? '127.0.0.1' : host;
  return {
    url: `http://${shownHost}:${port}${handler.basePath}/`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeIdleConnections();
      }),
  };
}
