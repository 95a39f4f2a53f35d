import jwt from 'jsonwebtoken';
import type request from 'supertest';
import { SigningKeysService } from '../../src/oauth/keys/signing-keys.service.js';
import { basicAuthorization, type CreatedClient } from './factories.js';
import type { TestApp } from './test-app.js';

/** RFC 7662 section 2.1: an introspection request with client_secret_basic, answered as is. */
export function introspect(t: TestApp, caller: CreatedClient, form: Record<string, string>): request.Test {
  return t
    .http()
    .post('/oauth/introspect')
    .set('authorization', basicAuthorization(caller.client_id, caller.client_secret))
    .type('form')
    .send(form);
}

/** RFC 7009 section 2.1: a revocation request with client_secret_basic, answered as is. */
export function revoke(t: TestApp, caller: CreatedClient, form: Record<string, string>): request.Test {
  return t
    .http()
    .post('/oauth/revoke')
    .set('authorization', basicAuthorization(caller.client_id, caller.client_secret))
    .type('form')
    .send(form);
}

/** Signs claims with the server's own current key, to present tokens this server would never issue. */
export async function signWithServerKey(t: TestApp, claims: Record<string, unknown>): Promise<string> {
  const key = await t.app.get(SigningKeysService).signingKey();
  return jwt.sign(claims, key.privateKey, { algorithm: key.alg, header: { alg: key.alg, typ: 'at+jwt', kid: key.kid } });
}

/** The claims of a token as this server issues it (RFC 9068 section 2.2), for `signWithServerKey`. */
export function claimsOf(t: TestApp, client: CreatedClient, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const now = Math.floor(Date.now() / 1000);
  return {
    iss: t.config.oauth.issuer,
    sub: client.client_id,
    aud: t.config.oauth.audience,
    client_id: client.client_id,
    org_id: client.organization_id,
    scope: 'org:read',
    jti: crypto.randomUUID(),
    iat: now,
    exp: now + 300,
    ...overrides,
  };
}

/**
 * Polls until `check` holds, for effects that cross processes. Fails when a probe
 * started at or after `deadlineMs` (counted from the call) still sees the old
 * state; the last probe starts right at the deadline, not a poll interval late.
 */
export async function eventually<T>(probe: () => Promise<T>, check: (value: T) => boolean, deadlineMs: number): Promise<T> {
  const started = Date.now();
  for (;;) {
    const probeStartedMs = Date.now() - started;
    const value = await probe();
    if (check(value)) return value;
    if (probeStartedMs >= deadlineMs) throw new Error(`still not so ${deadlineMs} ms later: ${summarize(value)}`);
    const untilDeadline = deadlineMs - (Date.now() - started);
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, Math.min(50, untilDeadline))));
  }
}

/** A response by its status and body only: never its request, which carries the token. */
function summarize(value: unknown): string {
  if (value && typeof value === 'object' && 'status' in value && 'body' in value)
    return `${String(value.status)} ${JSON.stringify(value.body)}`;
  return JSON.stringify(value);
}
