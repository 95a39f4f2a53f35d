import { generateKeyPairSync } from 'node:crypto';
import jwt from 'jsonwebtoken';
import type { Response } from 'supertest';
import { Clock } from '../../src/common/clock.js';
import { AppConfig } from '../../src/config/app-config.js';
import { SigningKeysService } from '../../src/oauth/keys/signing-keys.service.js';
import { AccessTokenIssuer } from '../../src/oauth/tokens/access-token.issuer.js';
import { JwsSigningThread } from '../../src/oauth/tokens/jws-signing-thread.js';
import { adminToken, createOrganization, obtainToken, organizationWithClient } from '../support/factories.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

class ShiftedClock extends Clock {
  constructor(private readonly offsetSeconds: number) {
    super();
  }
  now(): Date {
    return new Date(Date.now() + this.offsetSeconds * 1000);
  }
}

/** RFC 6750 section 3: the challenge, and a problem document in the body. */
function expectChallenge(response: Response, status: number, challenge: string): void {
  expect(response.status).toBe(status);
  expect(response.headers['www-authenticate']).toBe(challenge);
  expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
  expect(response.body).toMatchObject({ status, detail: expect.any(String) });
}

const expectInvalidToken = (response: Response) => {
  expect(response.status).toBe(401);
  expect(response.headers['www-authenticate']).toMatch(/^Bearer realm="orgsync", error="invalid_token", error_description="[^"]+"$/);
  expect(response.body).toMatchObject({ type: 'urn:orgsync:problem:invalid_token', status: 401 });
};

describe('the bearer guard on the organization APIs (RFC 6750, RFC 9068 section 4)', () => {
  let t: TestApp;
  let organizationId: string;
  let clientId: string;
  let token: string;

  beforeAll(async () => {
    t = await startTestApp();
    const setup = await organizationWithClient(t, { scope: 'org:read members:read' });
    organizationId = setup.organizationId;
    clientId = setup.client.client_id;
    token = await obtainToken(t, clientId, setup.client.client_secret, 'org:read');
  });
  afterAll(() => t.close());

  const call = (authorization?: string) => {
    const request = t.http().get('/api/v1/organization');
    return authorization === undefined ? request : request.set('authorization', authorization);
  };

  /** Signs claims with the server's own current key, to test claim checks one at a time. */
  async function signWithServerKey(claims: Record<string, unknown>, header: Record<string, unknown> = {}): Promise<string> {
    const key = await t.app.get(SigningKeysService).signingKey();
    const defined = Object.fromEntries(Object.entries(claims).filter(([, value]) => value !== undefined));
    return jwt.sign(defined, key.privateKey, { algorithm: key.alg, header: { alg: key.alg, typ: 'at+jwt', kid: key.kid, ...header } });
  }

  function validClaims(): Record<string, unknown> {
    const now = Math.floor(Date.now() / 1000);
    return {
      iss: t.baseUrl,
      sub: clientId,
      aud: `${t.baseUrl}/api`,
      client_id: clientId,
      org_id: organizationId,
      scope: 'org:read',
      jti: 'j1',
      iat: now,
      exp: now + 300,
    };
  }

  it('lets a valid token through to its own organization', async () => {
    const response = await call(`Bearer ${token}`);
    expect(response.status).toBe(200);
    expect(response.body.id).toBe(organizationId);
  });

  it('accepts the scheme name in any case', async () => {
    expect((await call(`bearer ${token}`)).status).toBe(200);
  });

  it('takes the organization from the token, never from the query', async () => {
    const admin = await adminToken(t);
    const other = await createOrganization(t, admin, 'Other Org');
    const response = await t
      .http()
      .get(`/api/v1/organization?org_id=${other.id}&organization_id=${other.id}`)
      .auth(token, { type: 'bearer' });
    expect(response.body.id).toBe(organizationId);
  });

  it('answers a request without a token with a bare challenge (section 3.1: no error code)', async () => {
    expectChallenge(await call(), 401, 'Bearer realm="orgsync"');
  });

  it('treats another authentication scheme as no token', async () => {
    expectChallenge(await call('Basic dXNlcjpwYXNz'), 401, 'Bearer realm="orgsync"');
  });

  it('does not accept a token in the query string (RFC 9700 section 4.3.2)', async () => {
    expectChallenge(await t.http().get(`/api/v1/organization?access_token=${token}`), 401, 'Bearer realm="orgsync"');
  });

  it('answers a malformed Bearer header with invalid_request', async () => {
    const response = await call('Bearer a b c');
    expect(response.status).toBe(400);
    expect(response.headers['www-authenticate']).toMatch(/error="invalid_request"/);
  });

  it.each([
    ['garbage', 'not-a-jwt'],
    ['a JWT with a bad header', 'e30.e30.sig'],
    ['an oversized token', `${'a'.repeat(5000)}.b.c`],
  ])('refuses %s with invalid_token', async (_label, value) => {
    expectInvalidToken(await call(`Bearer ${value}`));
  });

  it('refuses a token whose signature was tampered with', async () => {
    const [header, payload, signature] = token.split('.');
    const forged = Buffer.from(
      JSON.stringify({ ...JSON.parse(Buffer.from(payload!, 'base64url').toString()), scope: 'org:read admin' }),
    ).toString('base64url');
    expectInvalidToken(await call(`Bearer ${header}.${forged}.${signature}`));
  });

  it('refuses alg "none" (RFC 8725 section 2.1)', async () => {
    const kid = (jwt.decode(token, { complete: true })!.header as jwt.JwtHeader).kid;
    const header = Buffer.from(JSON.stringify({ alg: 'none', typ: 'at+jwt', kid })).toString('base64url');
    const payload = Buffer.from(JSON.stringify(validClaims())).toString('base64url');
    expectInvalidToken(await call(`Bearer ${header}.${payload}.`));
    expectInvalidToken(await call(`Bearer ${header}.${payload}.AAAA`));
  });

  it('refuses an HS256 token keyed with the public key (algorithm confusion, RFC 8725 section 2.1)', async () => {
    const jwks = (await t.http().get('/oauth/jwks')).body as { keys: Array<{ kid: string }> };
    const kid = jwks.keys[0]!.kid;
    const forged = jwt.sign(validClaims(), JSON.stringify(jwks.keys[0]), {
      algorithm: 'HS256',
      header: { alg: 'HS256', typ: 'at+jwt', kid },
    });
    expectInvalidToken(await call(`Bearer ${forged}`));
  });

  it('refuses a token signed by a key that is not ours, even with our kid', async () => {
    const kid = (jwt.decode(token, { complete: true })!.header as jwt.JwtHeader).kid;
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const forged = jwt.sign(validClaims(), privateKey, { algorithm: 'ES256', header: { alg: 'ES256', typ: 'at+jwt', kid } });
    expectInvalidToken(await call(`Bearer ${forged}`));
  });

  it('refuses an unknown kid', async () => {
    expectInvalidToken(await call(`Bearer ${await signWithServerKey(validClaims(), { kid: 'unknown-kid' })}`));
  });

  it('accepts a correctly signed token with all claims (control for the cases below)', async () => {
    expect((await call(`Bearer ${await signWithServerKey(validClaims())}`)).status).toBe(200);
  });

  it.each([
    ['typ JWT instead of at+jwt (RFC 9068 section 4)', {}, { typ: 'JWT' }],
    ['no typ', {}, { typ: undefined }],
    ['another issuer', { iss: 'https://evil.example' }, {}],
    ['another audience', { aud: 'https://other-api.example' }, {}],
    ['no exp', { exp: undefined }, {}],
    ['an exp beyond the 60 s leeway', { exp: Math.floor(Date.now() / 1000) - 61 }, {}],
    ['an nbf beyond the 60 s leeway', { nbf: Math.floor(Date.now() / 1000) + 120 }, {}],
    ['no org_id', { org_id: undefined }, {}],
    ['another organization than the client’s', { org_id: '00000000-0000-7000-8000-000000000000' }, {}],
    ['an unknown client', { client_id: 'orgsync_ci_nobody', sub: 'orgsync_ci_nobody' }, {}],
  ])('refuses a token with %s', async (_label, claimOverrides, headerOverrides) => {
    const signed = await signWithServerKey({ ...validClaims(), ...claimOverrides }, headerOverrides);
    expectInvalidToken(await call(`Bearer ${signed}`));
  });

  it('accepts a token within the 60 s clock leeway', async () => {
    const claims = { ...validClaims(), exp: Math.floor(Date.now() / 1000) - 30, nbf: Math.floor(Date.now() / 1000) + 30 };
    expect((await call(`Bearer ${await signWithServerKey(claims)}`)).status).toBe(200);
  });

  it('refuses a token the server issued that has since expired', async () => {
    const past = new AccessTokenIssuer(
      t.app.get(SigningKeysService),
      t.app.get(AppConfig),
      new ShiftedClock(-3600),
      t.app.get(JwsSigningThread),
    );
    const issued = await past.issue({ clientId, organizationId, scopes: ['org:read'], ttlSeconds: 600 });
    const response = await call(`Bearer ${issued.accessToken}`);
    expectInvalidToken(response);
    expect(response.body.detail).toBe('The access token has expired.');
  });

  it('answers a missing scope with 403 insufficient_scope naming the scope', async () => {
    const membersOnly = await signWithServerKey({ ...validClaims(), scope: 'members:read' });
    const response = await call(`Bearer ${membersOnly}`);
    expectChallenge(response, 403, 'Bearer realm="orgsync", error="insufficient_scope", scope="org:read"');
    expect(response.body.type).toBe('urn:orgsync:problem:insufficient_scope');
  });

  it('refuses admin routes to an organization token even when it forges the admin scope name', async () => {
    const response = await t.http().get('/admin/organizations').auth(token, { type: 'bearer' });
    expectChallenge(response, 403, 'Bearer realm="orgsync", error="insufficient_scope", scope="admin"');
  });
});
