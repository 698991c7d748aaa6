import { createHash, timingSafeEqual } from 'node:crypto';
import { ConfigurationError } from '@durably/core';
import type { AdminRole, AuthorizeResult } from './admin-options.js';

/** Tokens shorter than this are refused at startup: a guessable token is no protection. */
export const minTokenLength = 24;

/** Options of `authorizeBearerTokens`. */
export interface BearerTokenOptions {
  /** Tokens that grant `manage`. Default none. */
  manage?: readonly string[];
  /** Tokens that grant `read`. Default none. */
  read?: readonly string[];
}

/**
 * An `authorize` hook for scripts and API clients: `Authorization: Bearer <token>` grants the role
 * the token is listed under (`manage` wins when a token is in both). Tokens are compared in
 * constant time (as SHA-256 digests) and must have at least 24 characters. Browsers do not send
 * bearer tokens on their own: for the dashboard, authorise from your session cookie instead (or
 * combine both in your own hook). The actor in audit events is `token:<first 6 characters of the
 * token's SHA-256>`, never the token.
 *
 * @example
 * createAdminHandler({ store, basePath: '/admin',
 *   authorize: authorizeBearerTokens({ manage: [process.env.DURABLY_ADMIN_TOKEN!] }) });
 */
export function authorizeBearerTokens(options: BearerTokenOptions): (request: Request) => AuthorizeResult {
  const entries: { digest: Buffer; role: AdminRole }[] = [];
  for (const role of ['manage', 'read'] as const) {
    for (const token of options[role] ?? []) {
      if (typeof token !== 'string' || token.length < minTokenLength) {
        throw new ConfigurationError(`${role}`, `every token needs at least ${minTokenLength} characters (use e.g. \`openssl rand -hex 32\`).`);
      }
      entries.push({ digest: digestOf(token), role });
    }
  }
  if (entries.length === 0) throw new ConfigurationError('manage', 'give at least one token in `manage` or `read`.');
  return (request) => {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(request.headers.get('authorization') ?? '');
    if (!match) return null;
    const digest = digestOf(match[1]!);
    // Check every entry (no early exit), so timing does not reveal which list matched.
    let role: AdminRole | null = null;
    for (const entry of entries) {
      if (timingSafeEqual(entry.digest, digest) && role !== 'manage') role = entry.role;
    }
    return role === null ? null : { role, actor: `token:${digest.toString('hex').slice(0, 6)}` };
  };
}

function digestOf(token: string): Buffer {
  return createHash('sha256').update(token, 'utf8').digest();
}
