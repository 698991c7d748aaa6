import type { Clock, DurablyStore, JobRegistry, ResolvedOptions } from '@durably/core';

/**
 * What a caller may do: `read` sees runs, schedules and stats; `manage` may also cancel, retry,
 * delete, enable/disable schedules, change their cron and run them now.
 */
export type AdminRole = 'read' | 'manage';

/** What `authorize` returns: a role, a role with the acting user's name (for audit events), or deny. */
export type AuthorizeResult = AdminRole | { role: AdminRole; actor?: string } | null | undefined;

/** Per-request facts a fetch `Request` cannot carry. The `node:http` adapter fills them in. */
export interface AdminRequestContext {
  /** The peer's IP address (`socket.remoteAddress`). Needed by `unsafeAllowLocalWithoutAuth`. */
  remoteAddress?: string;
}

/** One mutating action, emitted after it was decided (done, refused or failed). */
export interface AdminAuditEvent {
  /** e.g. `run.cancel`, `run.retry`, `run.delete`, `schedule.enable`, `schedule.disable`,
   * `schedule.update`, `schedule.run-now`, `schedule.delete`. */
  action: string;
  /** The run id or the schedule's job name. */
  target: string;
  role: AdminRole | null;
  /** The `actor` returned by `authorize`, when it gave one. */
  actor: string | null;
  /** `succeeded`: done. `denied`: refused by role or CSRF checks. `failed`: rejected or errored. */
  outcome: 'succeeded' | 'denied' | 'failed';
  /** The HTTP status of the response. */
  status: number;
  /** Extra facts: the new cron and zone, the new run's id, the cancel outcome, an error code. */
  details: Record<string, string | number | boolean | null>;
  at: Date;
  remoteAddress: string | null;
}

/** Options of `createAdminHandler`. */
export interface AdminHandlerOptions {
  /** The store to administer (any provider). The handler never closes it. */
  store: DurablyStore;
  /**
   * The job definitions of the running code. Needed for "run now" (a run is enqueued with the job's
   * checks and defaults) and used to list jobs and queues in the stats. Default: no jobs, so "run
   * now" answers 409 and stats list only jobs that have a schedule.
   */
  registry?: JobRegistry;
  /** Resolved Durably options (payload size limit for "run now"). Default: `resolveOptions()`. */
  options?: ResolvedOptions;
  /** Clock of the services (run-now delays). Default: the system clock. */
  clock?: Clock;
  /**
   * Path prefix the handler is mounted under, e.g. `/admin` (no trailing slash; `''` or `/` for the
   * root). The API lives under `${basePath}/api`, the dashboard at `${basePath}/`.
   */
  basePath: string;
  /**
   * Decides who may do what, from the request (a session cookie, a bearer token, a header set by
   * your proxy…). Return `'manage'`, `'read'`, `{ role, actor }` or `null` to deny (401). Without it
   * every request is refused, unless `unsafeAllowLocalWithoutAuth` is set.
   */
  authorize?: (request: Request) => AuthorizeResult | Promise<AuthorizeResult>;
  /**
   * Development only: when no `authorize` is given, grant `manage` to requests from a loopback
   * address (127.0.0.0/8, ::1) whose `Host` is `localhost`, `127.0.0.1` or `[::1]` (which defeats
   * DNS rebinding). Requires the remote address (the `node:http` adapter passes it). Default `false`.
   */
  unsafeAllowLocalWithoutAuth?: boolean;
  /**
   * Lowest role that sees payloads (of runs and schedules) and may search them. Default `'read'`
   * (every authorised caller). Set `'manage'` when payloads hold personal data.
   */
  exposePayloadTo?: AdminRole;
  /**
   * Origins besides the handler's own that may send mutating requests, e.g.
   * `['https://ops.example.com']` when the dashboard is served elsewhere. Default none.
   */
  allowedOrigins?: readonly string[];
  /** Called for every mutating action (awaited; its errors go to `onError`, not to the caller). */
  onAudit?: (event: AdminAuditEvent) => void | Promise<void>;
  /**
   * Called with unexpected errors (the caller only gets a 500 with an error id, never details).
   * The error is given as thrown; log it with care (store errors may name hosts). Default: ignored.
   */
  onError?: (error: unknown, errorId: string) => void;
}
