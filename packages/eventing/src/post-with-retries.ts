import { setTimeout as sleepFor } from 'node:timers/promises';

/** How one batch is posted. */
export interface PostSettings {
  url: string;
  headers: Readonly<Record<string, string>>;
  /** Each request is aborted after this many ms. */
  requestTimeoutMs: number;
  /** Retries after the first try; the batch is given up after `1 + maxRetryAttempts` failed tries. */
  maxRetryAttempts: number;
  /** Delay before the first retry, in ms; doubles per retry. */
  retryBaseDelayMs: number;
  /** Largest delay between two tries, in ms (also caps a server's `Retry-After`). */
  retryMaxDelayMs: number;
  fetch: typeof globalThis.fetch;
  /** Uniform random in [0, 1) for ±20 % jitter, so many workers do not retry in step. */
  random: () => number;
}

/** How posting a batch ended. `tries` counts requests made. */
export type PostResult =
  { ok: true; tries: number } | { ok: false; tries: number; retryable: boolean; reason: string };

type TryResult = { ok: true } | { ok: false; retryable: boolean; reason: string; retryAfterMs?: number };

/**
 * Posts `body`, retrying network errors, timeouts, 408, 429 and 5xx answers with exponential
 * backoff until `maxRetryAttempts` retries are spent. Other 4xx answers (bad credentials, a body
 * the server refuses) are not retried: the same request would fail the same way.
 * `onFailedTry` hears about every failed try, retried or not.
 */
export async function postWithRetries(
  body: string,
  settings: PostSettings,
  onFailedTry: (reason: string) => void = () => {},
): Promise<PostResult> {
  for (let tries = 1; ; tries += 1) {
    const result = await postOnce(body, settings);
    if (result.ok) return { ok: true, tries };
    onFailedTry(result.reason);
    if (!result.retryable || tries > settings.maxRetryAttempts) {
      return { ok: false, tries, retryable: result.retryable, reason: result.reason };
    }
    await sleepFor(retryDelayMs(tries, result.retryAfterMs, settings), undefined, { ref: false });
  }
}

async function postOnce(body: string, settings: PostSettings): Promise<TryResult> {
  let response: Response;
  try {
    response = await settings.fetch(settings.url, {
      method: 'POST',
      headers: settings.headers,
      body,
      signal: AbortSignal.timeout(settings.requestTimeoutMs),
    });
  } catch (error) {
    const timedOut = error instanceof Error && error.name === 'TimeoutError';
    const reason = timedOut ? `no answer within ${settings.requestTimeoutMs} ms` : describeFetchError(error);
    return { ok: false, retryable: true, reason };
  }
  // Read the body to the end so the connection can be reused (an unread body pins the socket).
  await response.arrayBuffer().catch(() => undefined);
  if (response.ok) return { ok: true };
  const status = response.status;
  const retryable = status === 408 || status === 429 || status >= 500;
  const retryAfterMs = parseRetryAfterMs(response.headers.get('retry-after'));
  return {
    ok: false,
    retryable,
    reason: `HTTP ${status}`,
    ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
  };
}

/** `base * 2^(retry-1)` with ±20 % jitter, or the server's `Retry-After`; both capped. */
function retryDelayMs(failedTries: number, retryAfterMs: number | undefined, settings: PostSettings): number {
  if (retryAfterMs !== undefined) return Math.min(settings.retryMaxDelayMs, retryAfterMs);
  const exponential = settings.retryBaseDelayMs * 2 ** (failedTries - 1);
  const jitter = 1 + (settings.random() * 2 - 1) * 0.2;
  return Math.min(settings.retryMaxDelayMs, Math.round(exponential * jitter));
}

/** `Retry-After` in seconds (the HTTP-date form is rare for APIs and ignored). */
function parseRetryAfterMs(value: string | null): number | undefined {
  if (value === null || !/^\d+$/.test(value.trim())) return undefined;
  return Number(value.trim()) * 1000;
}

function describeFetchError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  // undici wraps the socket error (ECONNREFUSED, ECONNRESET, …) in `cause`.
  const cause = error.cause instanceof Error ? `: ${error.cause.message}` : '';
  return `${error.message}${cause}`;
}
