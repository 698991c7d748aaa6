import { describe, expect, it } from 'vitest';
import { authorizeBearerTokens } from './authorize-bearer-tokens.js';

const manage = 'm'.repeat(32);
const read = 'r'.repeat(32);
const ask = (authorization?: string) =>
  new Request('http://x/admin/api/runs', authorization === undefined ? {} : { headers: { authorization } });

describe('authorizeBearerTokens', () => {
  const authorize = authorizeBearerTokens({ manage: [manage], read: [read] });

  it('grants the role the token is listed under, with an actor that does not reveal the token', () => {
    expect(authorize(ask(`Bearer ${manage}`))).toEqual({ role: 'manage', actor: expect.stringMatching(/^token:[0-9a-f]{6}$/) });
    expect(authorize(ask(`bearer ${read}`))).toMatchObject({ role: 'read' });
    expect(JSON.stringify(authorize(ask(`Bearer ${manage}`)))).not.toContain(manage);
  });

  it('denies missing, malformed and unknown tokens', () => {
    for (const header of [undefined, '', manage, `Basic ${manage}`, `Bearer ${manage}x`, 'Bearer ', `Bearer ${read} extra`]) {
      expect(authorize(ask(header)), String(header)).toBeNull();
    }
  });

  it('lets manage win when a token is in both lists', () => {
    expect(authorizeBearerTokens({ manage: [manage], read: [manage] })(ask(`Bearer ${manage}`))).toMatchObject({ role: 'manage' });
  });

  it('refuses short tokens and an empty configuration at startup', () => {
    expect(() => authorizeBearerTokens({ manage: ['short'] })).toThrow(/24 characters/);
    expect(() => authorizeBearerTokens({})).toThrow(/at least one token/);
  });
});
