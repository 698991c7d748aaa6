import type { AdminHandlerOptions, AdminRequestContext, AdminRole } from './admin-options.js';
import { HttpError } from './http-error.js';

/** Who is calling, as decided by `authorize` (or the local escape hatch). */
export interface Caller {
  role: AdminRole;
  actor: string | null;
}

/**
 * Decides the caller's role, or throws 401. Without `authorize` every request is refused, except
 * loopback requests when `unsafeAllowLocalWithoutAuth` is set. A hook that throws denies (fail
 * closed); its error goes to `onError`.
 */
export async function authorizeRequest(
  options: Pick<AdminHandlerOptions, 'authorize' | 'unsafeAllowLocalWithoutAuth' | 'onError'>,
  request: Request,
  context: AdminRequestContext,
): Promise<Caller> {
  if (options.authorize === undefined) {
    if (options.unsafeAllowLocalWithoutAuth === true && isLocalRequest(request, context)) {
      return { role: 'manage', actor: 'local' };
    }
    throw new HttpError(
      401,
      'unauthorized',
      'The admin API needs an `authorize` hook (or `unsafeAllowLocalWithoutAuth` for local development).',
    );
  }
  let result: Awaited<ReturnType<NonNullable<AdminHandlerOptions['authorize']>>>;
  try {
    result = await options.authorize(request);
  } catch (error) {
    options.onError?.(error, 'authorize');
    throw new HttpError(401, 'unauthorized', 'Authorization failed.');
  }
  const caller = typeof result === 'string' ? { role: result, actor: null } : result ? { role: result.role, actor: result.actor ?? null } : null;
  if (caller === null || (caller.role !== 'read' && caller.role !== 'manage')) {
    throw new HttpError(401, 'unauthorized', 'Sign in with an account that may read the job dashboard.');
  }
  return caller;
}

/** A loopback peer that also addressed us by a loopback name (a DNS-rebinding page cannot). */
function isLocalRequest(request: Request, context: AdminRequestContext): boolean {
  const address = context.remoteAddress;
  if (address === undefined) return false;
  const loopbackPeer = address === '::1' || /^(::ffff:)?127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(address);
  const host = new URL(request.url).hostname;
  const loopbackHost = host === 'localhost' || host === '[::1]' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
  return loopbackPeer && loopbackHost;
}
