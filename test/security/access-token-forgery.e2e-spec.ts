import { createHmac, createPublicKey, generateKeyPairSync, type JsonWebKey, type KeyObject } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { Clock } from '../../src/common/clock.js';
import { adminToken, createClient, createOrganization, DATA_SCOPES, obtainToken } from '../support/factories.js';
import type { TestApp } from '../support/test-app.js';
import { expectInsufficientScope, expectInvalidToken } from './support/expectations.js';
import { accessTokenClaims, compactJws, decodeParts, segment, signJws, signWithServerKey, tamperPayload } from './support/forged-jwt.js';
import { startSecurityApp } from './support/security-app.js';

interface Tenant {
  organizationId: string;
  clientId: string;
  clientSecret: string;
  token: string;
}

/**
 * Forged, altered and misdirected access tokens presented to the resource
 * APIs. Every refusal is asserted exactly: 401 invalid_token (or 403
 * insufficient_scope) in the RFC 6750 challenge, and the API's problem body.
 */
describe('access-token forgery against the bearer guard', () => {
  let t: TestApp;
  let admin: string;
  let a: Tenant;
  let b: Tenant;
  let bMemberId: string;
  let ourJwk: JsonWebKey & { kid: string; alg: string };
  const attackerEc = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const attackerRsa = generateKeyPairSync('rsa', { modulusLength: 2048 });

  async function tenant(name: string): Promise<Tenant> {
    const organization = await createOrganization(t, admin, name);
    const client = await createClient(t, admin, organization.id, { scope: DATA_SCOPES });
    return {
      organizationId: organization.id,
      clientId: client.client_id,
      clientSecret: client.client_secret,
      token: await obtainToken(t, client.client_id, client.client_secret, DATA_SCOPES),
    };
  }

  beforeAll(async () => {
    t = await startSecurityApp();
    admin = await adminToken(t);
    a = await tenant('Tenant A');
    b = await tenant('Tenant B');
    const member = await t
      .http()
      .post('/api/v1/members')
      .auth(b.token, { type: 'bearer' })
      .send({ user_name: 'b-only', email: 'b@b.example' });
    expect(member.status).toBe(201);
    bMemberId = member.body.id;
    ourJwk = (await t.http().get('/oauth/jwks')).body.keys[0];
  });
  afterAll(() => t.close());

  const read = (token: string, path = '/api/v1/organization') => t.http().get(path).set('authorization', `Bearer ${token}`);
  const now = () => t.app.get(Clock).nowSeconds();
  const claimsOf = (tenant: Tenant, overrides: Record<string, unknown> = {}) => ({
    ...accessTokenClaims(t, { clientId: tenant.clientId, organizationId: tenant.organizationId, scope: DATA_SCOPES }, now()),
    ...overrides,
  });
  const hs256 = (header: Record<string, unknown>, payload: Record<string, unknown>, key: Buffer | string) => {
    const input = `${segment(header)}.${segment(payload)}`;
    return `${input}.${createHmac('sha256', key).update(input).digest('base64url')}`;
  };
  const signWith = (key: KeyObject, alg: string, payload: Record<string, unknown>, header: Record<string, unknown>) =>
    signJws({ alg, ...header }, payload, key, alg);

  it('accepts a token signed with our key and valid claims (the control every case below departs from)', async () => {
    const response = await read(await signWithServerKey(t, claimsOf(a)));
    expect(response.status).toBe(200);
    expect(response.body.id).toBe(a.organizationId);
  });

  describe('algorithm attacks (RFC 8725 sections 2.1 and 3.1, RFC 7518 section 3.6)', () => {
    it.each([
      ['alg none without a signature', 'none', ''],
      ['alg none with a signature part', 'none', 'c2lnbmF0dXJl'],
      ['alg None (case variant)', 'None', ''],
      ['alg NONE (case variant)', 'NONE', ''],
      ['an empty alg', '', ''],
    ])('refuses %s', async (_label, alg, signature) => {
      expectInvalidToken(await read(compactJws({ alg, typ: 'at+jwt', kid: ourJwk.kid }, claimsOf(a), signature)));
    });

    it('refuses HS256 keyed with our public key as PEM (key confusion)', async () => {
      const pem = createPublicKey({ key: ourJwk, format: 'jwk' }).export({ type: 'spki', format: 'pem' });
      expectInvalidToken(await read(hs256({ alg: 'HS256', typ: 'at+jwt', kid: ourJwk.kid }, claimsOf(a), pem)));
    });

    it('refuses HS256 keyed with the bytes of our published JWK', async () => {
      const bytes = JSON.stringify(ourJwk);
      expectInvalidToken(await read(hs256({ alg: 'HS256', typ: 'at+jwt', kid: ourJwk.kid }, claimsOf(a), bytes)));
    });

    it('refuses HS256 keyed with our public key as DER', async () => {
      const der = createPublicKey({ key: ourJwk, format: 'jwk' }).export({ type: 'spki', format: 'der' });
      expectInvalidToken(await read(hs256({ alg: 'HS256', typ: 'at+jwt', kid: ourJwk.kid }, claimsOf(a), der)));
    });

    it.each([
      ['RS256', attackerRsa.privateKey],
      ['PS256', attackerRsa.privateKey],
      ['ES384', generateKeyPairSync('ec', { namedCurve: 'P-384' }).privateKey],
    ] as Array<[string, KeyObject]>)('refuses a %s header on our ES256 key id, signed by an attacker key', async (alg, key) => {
      expectInvalidToken(await read(signWith(key, alg, claimsOf(a), { typ: 'at+jwt', kid: ourJwk.kid })));
    });

    it('refuses an ES256 token under our kid signed by a key that is not ours', async () => {
      const response = await read(signWith(attackerEc.privateKey, 'ES256', claimsOf(a), { typ: 'at+jwt', kid: ourJwk.kid }));
      expectInvalidToken(response);
      expect(response.body.detail).toBe('The access token signature is invalid.');
    });
  });

  describe('key selection headers (RFC 8725 section 3.10, RFC 7515 sections 4.1.2 to 4.1.6)', () => {
    it.each([
      ['an unknown kid', 'kid-that-does-not-exist'],
      ['a path traversal kid', '../../../../etc/passwd'],
      ['a kid pointing at a file with a NUL', '/dev/null\u0000'],
      ['an SQL injection kid', "' OR '1'='1"],
      ['an SQL statement kid', "x'; DROP TABLE signing_keys;--"],
      ['a number as kid', 1],
      ['an object as kid', { $ne: null }],
      ['an array holding our kid', 'OUR_KID_IN_ARRAY'],
      ['no kid', undefined],
      ['an overlong kid', 'k'.repeat(1500)],
    ])('refuses %s', async (_label, kid) => {
      const header = { typ: 'at+jwt', kid: kid === 'OUR_KID_IN_ARRAY' ? [ourJwk.kid] : kid };
      const token = signWith(attackerEc.privateKey, 'ES256', claimsOf(a), header);
      expectInvalidToken(await read(token));
    });

    it('refuses an unknown kid even on a token signed with our own key', async () => {
      expectInvalidToken(await read(await signWithServerKey(t, claimsOf(a), { kid: 'not-our-kid' })));
    });

    describe('keys carried or referenced by the token itself', () => {
      let attackerJwks: Server;
      let fetches = 0;
      let attackerUrl: string;
      const attackerJwk = { ...attackerEc.publicKey.export({ format: 'jwk' }), kid: 'attacker', alg: 'ES256', use: 'sig' };

      beforeAll(async () => {
        attackerJwks = createServer((_request, response) => {
          fetches += 1;
          response.setHeader('content-type', 'application/json');
          response.end(JSON.stringify({ keys: [attackerJwk] }));
        });
        await new Promise<void>((resolve) => attackerJwks.listen(0, '127.0.0.1', resolve));
        const address = attackerJwks.address();
        attackerUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/jwks.json`;
      });
      afterAll(() => new Promise<void>((resolve) => attackerJwks.close(() => resolve())));

      it.each([
        ['an embedded jwk header with the attacker kid', () => ({ jwk: attackerJwk, kid: 'attacker' })],
        ['an embedded jwk header with our kid', () => ({ jwk: { ...attackerJwk, kid: ourJwk.kid }, kid: ourJwk.kid })],
        ['a jku header with the attacker kid', () => ({ jku: attackerUrl, kid: 'attacker' })],
        ['a jku header with our kid', () => ({ jku: attackerUrl, kid: ourJwk.kid })],
        ['an x5u header', () => ({ x5u: attackerUrl, kid: 'attacker' })],
        ['an x5c header', () => ({ x5c: ['MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA'], kid: 'attacker' })],
      ])('refuses a token signed by the attacker with %s, without fetching anything', async (_label, header) => {
        const token = signWith(attackerEc.privateKey, 'ES256', claimsOf(a), { typ: 'at+jwt', ...header() });
        expectInvalidToken(await read(token));
        expect(fetches).toBe(0);
      });
    });
  });

  describe('issuer and audience (RFC 8725 sections 3.8 and 3.9, RFC 9068 section 4)', () => {
    it('refuses another issuer’s token signed by a key we do not know', async () => {
      const foreign = signWith(attackerEc.privateKey, 'ES256', claimsOf(a, { iss: 'https://other-as.example' }), {
        typ: 'at+jwt',
        kid: 'other-as-key-1',
      });
      expectInvalidToken(await read(foreign));
    });

    it.each([
      ['another issuer', { iss: 'https://evil.example' }],
      ['our issuer with a trailing slash', { iss: 'TRAILING' }],
      ['no issuer', { iss: undefined }],
      ['an issuer array', { iss: ['ISSUER'] }],
    ])('refuses a token with our key but %s', async (_label, overrides) => {
      const iss = overrides.iss === 'TRAILING' ? `${t.baseUrl}/` : Array.isArray(overrides.iss) ? [t.baseUrl] : overrides.iss;
      const response = await read(await signWithServerKey(t, claimsOf(a, { iss })));
      expectInvalidToken(response);
    });

    it.each([
      ['another audience', () => 'https://other-api.example'],
      ['an audience array without ours', () => ['https://other-api.example', t.baseUrl]],
      ['the issuer as audience (a token meant for the authorization server)', () => t.baseUrl],
      ['no audience', () => undefined],
      ['an empty audience array', () => []],
    ])('refuses a token with our key but %s', async (_label, aud) => {
      expectInvalidToken(await read(await signWithServerKey(t, claimsOf(a, { aud: aud() }))));
    });
  });

  describe('validity period (RFC 9068 section 4, RFC 7519 sections 4.1.4 and 4.1.5: 60 s leeway)', () => {
    it.each([
      ['an exp 61 s past (beyond the leeway)', () => ({ exp: now() - 61 }), 'The access token has expired.'],
      ['an exp an hour past', () => ({ iat: now() - 7200, exp: now() - 3600 }), 'The access token has expired.'],
      ['an nbf 61 s ahead (beyond the leeway)', () => ({ nbf: now() + 61 }), 'The access token is not valid yet.'],
      ['no exp', () => ({ exp: undefined }), undefined],
      ['a string exp', () => ({ exp: String(now() + 300) }), undefined],
      ['a string nbf', () => ({ nbf: 'yesterday' }), undefined],
    ])('refuses a token with %s', async (_label, overrides, detail) => {
      const response = await read(await signWithServerKey(t, claimsOf(a, overrides())));
      expectInvalidToken(response);
      if (detail) expect(response.body.detail).toBe(detail);
    });

    it('accepts exp and nbf just inside the leeway', async () => {
      expect((await read(await signWithServerKey(t, claimsOf(a, { exp: now() - 50, nbf: now() + 50 })))).status).toBe(200);
    });
  });

  describe('explicit typing (RFC 9068 section 4, RFC 8725 section 3.11)', () => {
    it.each([['JWT'], ['jwt'], ['application/jwt'], ['at+jwt '], ['secevent+jwt'], ['at+jwt; v=1'], ['']])(
      'refuses typ %j',
      async (typ) => {
        const response = await read(await signWithServerKey(t, claimsOf(a), { typ }));
        expectInvalidToken(response);
      },
    );

    it.each([
      ['a missing typ', undefined],
      ['a null typ', null],
      ['a typ array', ['at+jwt']],
    ])('refuses %s', async (_label, typ) => {
      expectInvalidToken(await read(await signWithServerKey(t, claimsOf(a), { typ })));
    });

    it.each([['at+jwt'], ['AT+JWT'], ['At+Jwt'], ['application/at+jwt'], ['Application/AT+JWT']])(
      'accepts typ %j (media types are case-insensitive, RFC 8725 section 3.11)',
      async (typ) => {
        expect((await read(await signWithServerKey(t, claimsOf(a), { typ }))).status).toBe(200);
      },
    );
  });

  describe('tampered tokens keep their original signature (RFC 7515 section 5.2)', () => {
    it.each([
      ['a scope escalated to admin', () => ({ scope: `${DATA_SCOPES} admin` })],
      ['a scope escalated to sync:read', () => ({ scope: `${DATA_SCOPES} sync:read` })],
      ['org_id swapped to another tenant', () => ({ org_id: b.organizationId })],
      ['client_id and sub swapped to another client', () => ({ client_id: b.clientId, sub: b.clientId })],
      ['exp pushed a day later', () => ({ exp: now() + 86_400 })],
      ['jti changed', () => ({ jti: 'replayed' })],
    ])('refuses %s', async (_label, changes) => {
      const response = await read(tamperPayload(a.token, changes()));
      expectInvalidToken(response);
      expect(response.body.detail).toBe('The access token signature is invalid.');
    });

    it('refuses a header changed under the signature', async () => {
      const [, payload, signature] = a.token.split('.');
      const header = segment({ ...decodeParts(a.token).header, typ: 'AT+JWT' });
      expectInvalidToken(await read(`${header}.${payload}.${signature}`));
    });

    it('refuses B’s payload spliced under A’s signature', async () => {
      const [header, , signature] = a.token.split('.');
      expectInvalidToken(await read(`${header}.${b.token.split('.')[1]}.${signature}`));
    });

    it.each([
      ['a stripped signature', (token: string) => token.slice(0, token.lastIndexOf('.') + 1)],
      ['a truncated signature', (token: string) => token.slice(0, -4)],
      [
        'a signature with a changed character',
        (token: string) => `${token.slice(0, -2)}${token.at(-2) === 'A' ? 'B' : 'A'}${token.slice(-1)}`,
      ],
      ['a fourth segment', (token: string) => `${token}.AAAA`],
      ['a JWE-shaped token', () => 'eyJhbGciOiJSU0EtT0FFUCIsImVuYyI6IkEyNTZHQ00ifQ.a.b.c.d'],
    ])('refuses %s', async (_label, alter) => {
      expectInvalidToken(await read(alter(a.token)));
    });
  });

  describe('a genuine token whose client or organization changed since (RFC 9068 section 4)', () => {
    const freshTenant = tenant;

    it('refuses the token of a client disabled since, and still after it is enabled again', async () => {
      const c = await freshTenant('Disabled client org');
      expect((await read(c.token)).status).toBe(200);
      expect(
        (await t.http().patch(`/admin/clients/${c.clientId}`).auth(admin, { type: 'bearer' }).send({ status: 'disabled' })).status,
      ).toBe(200);
      expectInvalidToken(await read(c.token));
      expect((await t.http().patch(`/admin/clients/${c.clientId}`).auth(admin, { type: 'bearer' }).send({ status: 'active' })).status).toBe(
        200,
      );
      expectInvalidToken(await read(c.token));
      expect((await read(await obtainToken(t, c.clientId, c.clientSecret))).status).toBe(200);
    });

    it('refuses the token of a deleted client', async () => {
      const c = await freshTenant('Deleted client org');
      expect((await t.http().delete(`/admin/clients/${c.clientId}`).auth(admin, { type: 'bearer' })).status).toBe(204);
      expectInvalidToken(await read(c.token));
    });

    it('refuses the token of a client whose organization was deleted', async () => {
      const c = await freshTenant('Deleted organization');
      expect((await t.http().delete(`/admin/organizations/${c.organizationId}`).auth(admin, { type: 'bearer' })).status).toBe(204);
      expectInvalidToken(await read(c.token));
    });

    it('stops honouring scopes removed from the client at once (403 insufficient_scope)', async () => {
      const c = await freshTenant('Narrowed client org');
      expect((await read(c.token, '/api/v1/members')).status).toBe(200);
      const narrowed = await t
        .http()
        .patch(`/admin/clients/${c.clientId}`)
        .auth(admin, { type: 'bearer' })
        .send({ scope: 'org:read', default_scope: 'org:read' });
      expect(narrowed.status).toBe(200);
      expectInsufficientScope(await read(c.token, '/api/v1/members'), 'members:read');
      expect((await read(c.token)).status).toBe(200);
    });

    it('refuses a token our key signed for a client that belongs to another organization', async () => {
      expectInvalidToken(await read(await signWithServerKey(t, claimsOf(a, { org_id: b.organizationId }))));
    });
  });

  describe('tenant isolation with a valid token (the token alone names the tenant)', () => {
    const as = (token: string) => ({ authorization: `Bearer ${token}` });

    it('answers A reading B’s member exactly as a member that does not exist', async () => {
      const foreign = await t.http().get(`/api/v1/members/${bMemberId}`).set(as(a.token));
      const missing = await t.http().get('/api/v1/members/00000000-0000-7000-8000-000000000000').set(as(a.token));
      expect(foreign.status).toBe(404);
      expect(foreign.body.type).toBe(missing.body.type);
      expect(foreign.text).not.toContain('b@b.example');
    });

    it('does not let A change or delete B’s member', async () => {
      expect((await t.http().patch(`/api/v1/members/${bMemberId}`).set(as(a.token)).send({ display_name: 'pwned' })).status).toBe(404);
      expect((await t.http().delete(`/api/v1/members/${bMemberId}`).set(as(a.token))).status).toBe(404);
      const still = await t.http().get(`/api/v1/members/${bMemberId}`).set(as(b.token));
      expect(still.status).toBe(200);
      expect(still.body.display_name ?? null).not.toBe('pwned');
    });

    it('refuses an org_id or organization_id the caller adds to the query or body: the token alone names the tenant', async () => {
      const list = await t.http().get(`/api/v1/members?org_id=${b.organizationId}`).set(as(a.token));
      expect(list.status).toBe(400);
      const created = await t
        .http()
        .post('/api/v1/members')
        .set(as(a.token))
        .send({ user_name: 'smuggled', email: 's@a.example', organization_id: b.organizationId });
      expect(created.status).toBe(400);
      expect(created.body.errors).toEqual([{ field: 'organization_id', message: 'organization_id is not a known field' }]);
    });

    it('refuses the admin API to an organization token (403 insufficient_scope admin)', async () => {
      expectInsufficientScope(await t.http().get(`/admin/organizations/${b.organizationId}`).set(as(a.token)), 'admin');
    });
  });
});
