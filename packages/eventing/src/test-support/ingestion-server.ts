import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request the test server received. */
export interface ReceivedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  /** Body size in bytes, as received. */
  bytes: number;
  body: { runtime: Record<string, unknown>; events: Record<string, unknown>[] };
}

/** How the server answers the nth request (0-based): a status code, or `hang` (never answer). */
export type Behaviour = (index: number) => number | 'hang';

/** A real HTTP server on 127.0.0.1 (ephemeral port) that records what it receives. */
export interface IngestionServer {
  baseUrl: string;
  /** Every request, in arrival order, including failed ones. */
  requests: ReceivedRequest[];
  /** Requests answered with 2xx. */
  accepted(): ReceivedRequest[];
  /** Events of the accepted requests, in order. */
  acceptedEvents(): Record<string, unknown>[];
  behave(behaviour: Behaviour): void;
  close(): Promise<void>;
}

/** Starts the test ingestion server. It answers 202 until told otherwise. */
export async function startIngestionServer(): Promise<IngestionServer> {
  const requests: ReceivedRequest[] = [];
  const statuses: number[] = [];
  let behaviour: Behaviour = () => 202;
  const hanging: ServerResponse[] = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const raw = Buffer.concat(chunks);
      const index = requests.length;
      requests.push({
        method: request.method ?? '',
        path: request.url ?? '',
        headers: request.headers,
        bytes: raw.length,
        body: JSON.parse(raw.toString('utf8')) as ReceivedRequest['body'],
      });
      const answer = behaviour(index);
      statuses[index] = answer === 'hang' ? 0 : answer;
      if (answer === 'hang') hanging.push(response);
      else response.writeHead(answer, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const accepted = () =>
    requests.filter((_, index) => (statuses[index] ?? 0) >= 200 && (statuses[index] ?? 0) < 300);
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    requests,
    accepted,
    acceptedEvents: () => accepted().flatMap((request) => request.body.events),
    behave(next) {
      behaviour = next;
    },
    async close() {
      for (const response of hanging) response.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
