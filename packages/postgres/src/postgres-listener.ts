import type { WorkAvailableEvent } from '@durably/core';
import pg from 'pg';

/** How long to wait before reconnecting a dropped listener connection, in ms (doubles up to 5 s). */
const firstReconnectDelayMs = 100;
const maxReconnectDelayMs = 5_000;

/**
 * LISTEN on one dedicated connection (never a pool connection: a listening connection must stay
 * open and must not carry other queries), shared by every subscriber of a store. It connects when
 * the first listener subscribes, reconnects with backoff after the connection drops, and on every
 * reconnect wakes the listeners once, since notifications sent while it was down are lost.
 */
export class PostgresWorkListener {
  readonly #config: pg.ClientConfig;
  readonly #channel: string;
  readonly #listeners = new Set<(event: WorkAvailableEvent) => void>();
  #client: pg.Client | undefined;
  #closed = false;
  #reconnectDelayMs = firstReconnectDelayMs;
  #timer: NodeJS.Timeout | undefined;
  /** Resolves when the current connection is listening (for tests and for the first subscriber). */
  ready: Promise<void> = Promise.resolve();
  /** How many times the connection was (re)established. */
  connections = 0;

  constructor(config: pg.ClientConfig, channel: string) {
    this.#config = config;
    this.#channel = channel;
  }

  subscribe(listener: (event: WorkAvailableEvent) => void): () => void {
    this.#listeners.add(listener);
    if (!this.#client && !this.#timer && !this.#closed) this.ready = this.#connect();
    return () => {
      this.#listeners.delete(listener);
      if (this.#listeners.size === 0) this.#disconnect();
    };
  }

  async close(): Promise<void> {
    this.#closed = true;
    this.#listeners.clear();
    this.#disconnect();
  }

  async #connect(): Promise<void> {
    const client = new pg.Client(this.#config);
    this.#client = client;
    client.on('notification', (message) => {
      if (message.channel !== this.#channel) return;
      this.#emit(message.payload ? { queue: message.payload } : {});
    });
    // A dropped connection emits 'error' and/or 'end'; both lead to one reconnect.
    client.on('error', () => this.#lost(client));
    client.on('end', () => this.#lost(client));
    try {
      await client.connect();
      await client.query(`listen "${this.#channel}"`);
      this.connections += 1;
      this.#reconnectDelayMs = firstReconnectDelayMs;
      if (this.connections > 1) this.#emit({});
    } catch {
      this.#lost(client);
    }
  }

  #lost(client: pg.Client): void {
    if (this.#client !== client) return;
    this.#client = undefined;
    client.end().catch(() => {});
    if (this.#closed || this.#listeners.size === 0) return;
    const delay = this.#reconnectDelayMs;
    this.#reconnectDelayMs = Math.min(maxReconnectDelayMs, delay * 2);
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      if (!this.#closed && this.#listeners.size > 0) this.ready = this.#connect();
    }, delay);
    this.#timer.unref();
  }

  #disconnect(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = undefined;
    const client = this.#client;
    this.#client = undefined;
    client?.end().catch(() => {});
  }

  #emit(event: WorkAvailableEvent): void {
    for (const listener of [...this.#listeners]) {
      try {
        listener(event);
      } catch {
        // A listener's failure must not stop the others or the connection.
      }
    }
  }
}
