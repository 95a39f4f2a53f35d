import { createHmac, createPublicKey, generateKeyPairSync, type JsonWebKey, type KeyObject, randomUUID } from 'node:crypto';
import { SignJWT } from 'jose';
import type { Response } from 'supertest';
import { Clock } from '../../src/common/clock.js';
import { adminToken, basicAuthorization, createClient, createOrganization, type CreatedClient } from '../support/factories.js';
import type { TestApp } from '../support/test-app.js';
import { expectInvalidClient, expectOAuthError } from './support/expectations.js';
import { segment, signJws } from './support/forged-jwt.js';
import { startSecurityApp } from './support/security-app.js';

const ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

interface KeyedClient {
  readonly client: CreatedClient;
  readonly privateKey: KeyObject;
  readonly publicJwk: JsonWebKey & { kid: string };
}

/**
 * Forged, replayed and misdirected private_key_jwt client assertions. Every
 * assertion that fails is 401 invalid_client (RFC 7521 section 4.2.1); a
 * request that combines authentication methods or half an assertion is a
 * protocol error, 400 invalid_request (RFC 6749 section 2.3).
 */
describe('client assertion attacks (RFC 7523 section 3, RFC 7521 section 4.2, RFC 8725 sections 2.1 and 3.1)', () => {
  let t: TestApp;
  let admin: string;
  let alice: KeyedClient;
  let bob: KeyedClient;
  let secretClient: CreatedClient;
  let disabled: KeyedClient;

  async function keyedClient(organizationId: string, kid: string): Promise<KeyedClient> {
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const publicJwk = { ...publicKey.export({ format: 'jwk' }), kid, use: 'sig', alg: 'ES256' };
    const client = await createClient(t, admin, organizationId, {
      token_endpoint_auth_method: 'private_key_jwt',
      jwks: { keys: [publicJwk] },
    });
    return { client, privateKey, publicJwk };
  }

  beforeAll(async () => {
    t = await startSecurityApp();
    admin = await adminToken(t);
    const organization = await createOrganization(t, admin, 'Keyed');
    alice = await keyedClient(organization.id, 'alice-1');
    bob = await keyedClient((await createOrganization(t, admin, 'Keyed elsewhere')).id, 'bob-1');
    disabled = await keyedClient(organization.id, 'disabled-1');
    secretClient = await createClient(t, admin, organization.id);
    expect(
      (await t.http().patch(`/admin/clients/${disabled.client.client_id}`).auth(admin, { type: 'bearer' }).send({ status: 'disabled' }))
        .status,
    ).toBe(200);
  });
  afterAll(() => t.close());

  const now = () => t.app.get(Clock).nowSeconds();
  const tokenEndpoint = () => `${t.baseUrl}/oauth/token`;
  /** RFC 7523 section 3 claims for a client, valid now; undefined members are left out. */
  const claimsFor = (clientId: string, overrides: Record<string, unknown> = {}) => ({
    iss: clientId,
    sub: clientId,
    aud: tokenEndpoint(),
    iat: now(),
    exp: now() + 60,
    jti: randomUUID(),
    ...overrides,
  });
  const assertionOf = (signer: KeyedClient, overrides: Record<string, unknown> = {}, header: Record<string, unknown> = {}) =>
    signJws(
      { alg: 'ES256', kid: signer.publicJwk.kid, typ: 'JWT', ...header },
      claimsFor(signer.client.client_id, overrides),
      signer.privateKey,
      'ES256',
    );
  /** alice's key and kid, but claims naming a client that was never registered. */
  const nobody = (): KeyedClient => ({ ...alice, client: { ...alice.client, client_id: 'orgsync_ci_nobody' } });
  /**
   * RFC 6749 section 2.3 and RFC 7521 section 4.2.1: two refusals a client
   * cannot tell apart, byte for byte, so neither reveals whether a client ID exists.
   */
  const expectIndistinguishable = (response: Response, reference: Response) => {
    expectInvalidClient(response);
    expectInvalidClient(reference);
    expect(response.text).toBe(reference.text);
    for (const header of ['content-type', 'www-authenticate', 'cache-control', 'pragma']) {
      expect({ header, value: response.headers[header] }).toEqual({ header, value: reference.headers[header] });
    }
  };
  const present = (assertion: string, extra: Record<string, string> = {}) =>
    t
      .http()
      .post('/oauth/token')
      .type('form')
      .send({ grant_type: 'client_credentials', client_assertion_type: ASSERTION_TYPE, client_assertion: assertion, ...extra });

  it('issues a token to a genuine assertion made by a real peer library (the control)', async () => {
    const assertion = await new SignJWT({})
      .setProtectedHeader({ alg: 'ES256', kid: alice.publicJwk.kid })
      .setIssuer(alice.client.client_id)
      .setSubject(alice.client.client_id)
      .setAudience(tokenEndpoint())
      .setIssuedAt(now())
      .setExpirationTime(now() + 60)
      .setJti(randomUUID())
      .sign(alice.privateKey);
    const response = await present(assertion);
    expect(response.status).toBe(200);
    expect(response.body.token_type).toBe('Bearer');
  });

  describe('replay (RFC 7523 section 3, item 7: a jti is used once)', () => {
    it('refuses the second use of the same assertion', async () => {
      const assertion = assertionOf(alice);
      expect((await present(assertion)).status).toBe(200);
      expectInvalidClient(await present(assertion));
    });

    it('lets exactly one of two simultaneous uses through', async () => {
      const assertion = assertionOf(alice);
      const statuses = (await Promise.all([present(assertion), present(assertion), present(assertion)])).map((r) => r.status).sort();
      expect(statuses).toEqual([200, 401, 401]);
    });

    it('refuses a new assertion reusing a jti already spent', async () => {
      const jti = randomUUID();
      expect((await present(assertionOf(alice, { jti }))).status).toBe(200);
      expectInvalidClient(await present(assertionOf(alice, { jti, exp: now() + 90 })));
    });

    it('refuses an assertion spent at the token endpoint when replayed at revocation', async () => {
      const assertion = assertionOf(alice);
      expect((await present(assertion)).status).toBe(200);
      const response = await t
        .http()
        .post('/oauth/revoke')
        .type('form')
        .send({ token: 'x', client_assertion_type: ASSERTION_TYPE, client_assertion: assertion });
      expectInvalidClient(response);
    });
  });

  describe('audience (RFC 7523 section 3, item 3)', () => {
    it.each([
      ['another authorization server', () => 'https://other-as.example/oauth/token'],
      ['our resource APIs', () => `${t.baseUrl}/api`],
      ['our token endpoint with a trailing slash', () => `${tokenEndpoint()}/`],
      ['an array without us', () => ['https://other-as.example', 'https://third.example']],
      ['no aud', () => undefined],
    ])('refuses an assertion for %s', async (_label, aud) => {
      expectInvalidClient(await present(assertionOf(alice, { aud: aud() })));
    });

    it('accepts the issuer identifier as audience', async () => {
      expect((await present(assertionOf(alice, { aud: t.baseUrl }))).status).toBe(200);
    });
  });

  describe('issuer and subject (RFC 7523 section 3, item 2)', () => {
    it.each([
      ['iss differing from sub', () => ({ iss: bob.client.client_id })],
      ['no iss', () => ({ iss: undefined })],
      ['no sub', () => ({ sub: undefined })],
      ['sub naming another client (signed with our key)', () => ({ iss: bob.client.client_id, sub: bob.client.client_id })],
    ])('refuses %s', async (_label, overrides) => {
      expectInvalidClient(await present(assertionOf(alice, overrides())));
    });
  });

  describe('signature and algorithm (RFC 8725 sections 2.1 and 3.1)', () => {
    it.each([
      ['alg none, no signature', ''],
      ['alg none with a signature', 'c2ln'],
    ])('refuses %s', async (_label, signature) => {
      const claims = claimsFor(alice.client.client_id);
      expectInvalidClient(await present(`${segment({ alg: 'none', typ: 'JWT' })}.${segment(claims)}.${signature}`));
    });

    it.each([
      ['the JWK JSON', () => JSON.stringify(alice.publicJwk)],
      ['the PEM', () => createPublicKey({ key: alice.publicJwk, format: 'jwk' }).export({ type: 'spki', format: 'pem' }) as string],
    ])('refuses HS256 keyed with the client’s public key as %s', async (_label, secret) => {
      const input = `${segment({ alg: 'HS256', kid: alice.publicJwk.kid })}.${segment(claimsFor(alice.client.client_id))}`;
      expectInvalidClient(await present(`${input}.${createHmac('sha256', secret()).update(input).digest('base64url')}`));
    });

    it.each([
      ['none', (claims: object) => `${segment({ alg: 'none', typ: 'JWT' })}.${segment(claims)}.`],
      [
        'HS256',
        (claims: object) => {
          const input = `${segment({ alg: 'HS256', kid: alice.publicJwk.kid })}.${segment(claims)}`;
          return `${input}.${createHmac('sha256', JSON.stringify(alice.publicJwk)).update(input).digest('base64url')}`;
        },
      ],
    ])('refuses alg %s with the same answer for a real and an unknown client ID', async (_alg, forge) => {
      const real = await present(forge(claimsFor(alice.client.client_id)));
      const unknown = await present(forge(claimsFor(nobody().client.client_id)));
      expectIndistinguishable(real, unknown);
      expect(real.body.error_description).toBe(
        "The client assertion's alg is not accepted; use one of RS256, RS384, RS512, PS256, PS384, PS512, ES256, ES384, ES512, EdDSA.",
      );
    });

    it('refuses an assertion signed with another client’s key', async () => {
      const forged = signJws({ alg: 'ES256', kid: alice.publicJwk.kid }, claimsFor(alice.client.client_id), bob.privateKey, 'ES256');
      expectInvalidClient(await present(forged));
    });

    it('refuses an assertion carrying its own key in a jwk header', async () => {
      const attacker = generateKeyPairSync('ec', { namedCurve: 'P-256' });
      const jwk = { ...attacker.publicKey.export({ format: 'jwk' }), kid: 'attacker' };
      const forged = signJws({ alg: 'ES256', kid: 'attacker', jwk }, claimsFor(alice.client.client_id), attacker.privateKey, 'ES256');
      expectInvalidClient(await present(forged));
    });

    it('refuses an assertion whose payload was altered after signing', async () => {
      const [header, , signature] = assertionOf(alice).split('.');
      expectInvalidClient(await present(`${header}.${segment(claimsFor(alice.client.client_id))}.${signature}`));
    });
  });

  describe('lifetime (RFC 7523 section 3, items 4 to 6)', () => {
    it.each([
      ['an exp far in the future', () => ({ exp: now() + 86_400 })],
      ['an exp beyond the 60 s leeway in the past', () => ({ iat: now() - 300, exp: now() - 61 })],
      ['no exp', () => ({ exp: undefined })],
      ['an nbf beyond the leeway ahead', () => ({ nbf: now() + 120 })],
      ['an iat beyond the leeway ahead', () => ({ iat: now() + 120, exp: now() + 180 })],
      ['no jti', () => ({ jti: undefined })],
      ['an empty jti', () => ({ jti: '' })],
      ['a 300-character jti', () => ({ jti: 'j'.repeat(300) })],
    ])('refuses %s', async (_label, overrides) => {
      expectInvalidClient(await present(assertionOf(alice, overrides())));
    });
  });

  describe('the client behind the assertion', () => {
    it('refuses an assertion for a client registered with a secret, even signed with a key', async () => {
      const impostor: KeyedClient = { ...alice, client: secretClient };
      expectInvalidClient(await present(assertionOf(impostor)));
    });

    it('refuses a valid assertion of a disabled client', async () => {
      expectInvalidClient(await present(assertionOf(disabled)));
    });

    it('refuses an assertion for an unknown client, answering byte for byte as for a bad signature of a real one', async () => {
      const unknown = await present(assertionOf(nobody()));
      const badSignature = await present(
        signJws({ alg: 'ES256', kid: alice.publicJwk.kid }, claimsFor(alice.client.client_id), bob.privateKey, 'ES256'),
      );
      // ClientAuthenticator's promise: the answer reveals nothing about which client IDs exist.
      expectIndistinguishable(badSignature, unknown);
      expect(unknown.body.error_description).toBe('Client authentication failed.');
    });

    it.each([
      ['a kid the client never registered', () => assertionOf(alice, {}, { kid: 'alice-unknown' })],
      ['a disabled client', () => assertionOf(disabled)],
    ])('answers %s byte for byte as an unknown client', async (_label, assertion) => {
      expectIndistinguishable(await present(assertion()), await present(assertionOf(nobody())));
    });

    it('refuses a private_key_jwt client presenting a client secret instead', async () => {
      const response = await t
        .http()
        .post('/oauth/token')
        .set('authorization', basicAuthorization(alice.client.client_id, 'orgsync_cs_guess'))
        .type('form')
        .send({ grant_type: 'client_credentials' });
      expectInvalidClient(response);
    });
  });

  describe('parameters (RFC 7521 section 4.2, RFC 6749 section 2.3)', () => {
    it('refuses a client_id parameter naming another client than the assertion’s sub', async () => {
      expectInvalidClient(await present(assertionOf(alice), { client_id: bob.client.client_id }));
    });

    it('accepts a client_id parameter naming the same client', async () => {
      expect((await present(assertionOf(alice), { client_id: alice.client.client_id })).status).toBe(200);
    });

    it('refuses an unsupported client_assertion_type with invalid_client', async () => {
      expectInvalidClient(
        await present(assertionOf(alice), { client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:saml2-bearer' }),
      );
    });

    it.each([
      ['an assertion with a client_secret', () => ({ client_secret: 'orgsync_cs_x' })],
      ['an assertion without its type', () => ({ client_assertion_type: '' })],
    ])('refuses %s with invalid_request', async (_label, extra) => {
      expectOAuthError(await present(assertionOf(alice), extra()), 400, 'invalid_request');
    });

    it('refuses an assertion together with Basic credentials with invalid_request', async () => {
      const response = await t
        .http()
        .post('/oauth/token')
        .set('authorization', basicAuthorization(secretClient.client_id, secretClient.client_secret))
        .type('form')
        .send({ grant_type: 'client_credentials', client_assertion_type: ASSERTION_TYPE, client_assertion: assertionOf(alice) });
      expectOAuthError(response, 400, 'invalid_request');
    });

    it('refuses a client_assertion_type without an assertion with invalid_request', async () => {
      const response = await t
        .http()
        .post('/oauth/token')
        .type('form')
        .send({ grant_type: 'client_credentials', client_assertion_type: ASSERTION_TYPE });
      expectOAuthError(response, 400, 'invalid_request');
    });

    it('refuses two client_assertion parameters with invalid_request', async () => {
      const body = `grant_type=client_credentials&client_assertion_type=${encodeURIComponent(ASSERTION_TYPE)}&client_assertion=${assertionOf(alice)}&client_assertion=${assertionOf(alice)}`;
      expectOAuthError(await t.http().post('/oauth/token').type('form').send(body), 400, 'invalid_request');
    });

    it.each([
      ['garbage', 'not-a-jwt'],
      ['an oversized assertion', `${segment({ alg: 'ES256' })}.${'a'.repeat(10_000)}.sig`],
      ['a JWE-shaped assertion', 'eyJhbGciOiJSU0EtT0FFUCIsImVuYyI6IkEyNTZHQ00ifQ.a.b.c.d'],
    ])('refuses %s with invalid_client', async (_label, assertion) => {
      expectInvalidClient(await present(assertion));
    });
  });
});
