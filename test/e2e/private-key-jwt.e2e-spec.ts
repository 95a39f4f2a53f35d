import { randomBytes, randomUUID } from 'node:crypto';
import * as jose from 'jose';
import * as oauth from 'oauth4webapi';
import type { Response } from 'supertest';
import { basicAuthorization, type CreatedClient, organizationWithClient } from '../support/factories.js';
import {
  type AssertionOptions,
  clientKey,
  type ClientKey,
  JWT_BEARER,
  jwksOf,
  type JwksServer,
  signAssertion,
  startJwksServer,
} from '../support/client-keys.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

/** Refusals are counted per client; these tests refuse on purpose, many times. */
const ENV = { RATE_LIMIT_FAILURES_PER_CLIENT: '0', CLIENT_JWKS_TIMEOUT_MS: '300' };

function expectInvalidClient(response: Response, description?: RegExp): void {
  expect(response.status).toBe(401);
  expect(response.body).toEqual({ error: 'invalid_client', error_description: expect.any(String) });
  if (description) expect(response.body.error_description).toMatch(description);
  // The assertion is never repeated back.
  expect(response.text).not.toMatch(/eyJ/);
}

/** What an unknown client hears (RFC 6749 section 2.3): said the same way for a bad signature or unusable keys. */
const GENERIC_FAILURE = 'Client authentication failed.';

/** RFC 7523 section 2.2 client authentication with a client assertion (its client_id parameter optional). */
function tokenRequest(t: TestApp, assertion: string, extra: Record<string, string> = {}) {
  return t
    .http()
    .post('/oauth/token')
    .type('form')
    .send({ grant_type: 'client_credentials', client_assertion_type: JWT_BEARER, client_assertion: assertion, ...extra });
}

describe('private_key_jwt client authentication (RFC 7523)', () => {
  let t: TestApp;
  let audience: string;
  let key: ClientKey;
  let client: CreatedClient;
  let unknownClientAnswer: Response;

  beforeAll(async () => {
    t = await startTestApp(ENV);
    audience = t.baseUrl;
    key = await clientKey('ES256');
    ({ client } = await organizationWithClient(t, { token_endpoint_auth_method: 'private_key_jwt', jwks: jwksOf(key) }));
    unknownClientAnswer = await tokenRequest(t, await signAssertion(key, 'orgsync_ci_nobody00000000000000000', audience));
    expectInvalidClient(unknownClientAnswer);
    expect(unknownClientAnswer.body.error_description).toBe(GENERIC_FAILURE);
  });
  afterAll(() => t.close());

  /**
   * A failure that would tell a registered client from an unknown one (its
   * signature, its kid, its jwks_uri) gets the unknown client's answer, word for word.
   */
  function expectAsForUnknownClient(response: Response): void {
    expectInvalidClient(response);
    expect(response.body.error_description).toBe(GENERIC_FAILURE);
    expect(response.text).toBe(unknownClientAnswer.text);
    expect(response.headers['www-authenticate']).toBe(unknownClientAnswer.headers['www-authenticate']);
  }

  describe('registration', () => {
    it('registers a private_key_jwt client with its public keys and issues it no secret', () => {
      expect(client).toMatchObject({ token_endpoint_auth_method: 'private_key_jwt', jwks: jwksOf(key) });
      expect(client).not.toHaveProperty('client_secret');
      expect(client).not.toHaveProperty('client_secret_expires_at');
      expect(client).not.toHaveProperty('jwks_uri');
    });
  });

  describe('success', () => {
    it('obtains a token with oauth4webapi PrivateKeyJwt, found through discovery', async () => {
      const issuer = new URL(t.baseUrl);
      const as = await oauth.processDiscoveryResponse(
        issuer,
        await oauth.discoveryRequest(issuer, { algorithm: 'oauth2', [oauth.allowInsecureRequests]: true }),
      );
      expect(as.token_endpoint_auth_methods_supported).toContain('private_key_jwt');
      expect(as.token_endpoint_auth_signing_alg_values_supported).toContain('ES256');
      const partner: oauth.Client = { client_id: client.client_id };
      const response = await oauth.clientCredentialsGrantRequest(
        as,
        partner,
        oauth.PrivateKeyJwt({ key: key.privateKey, kid: key.kid }),
        { scope: 'org:read' },
        { [oauth.allowInsecureRequests]: true },
      );
      const tokens = await oauth.processClientCredentialsResponse(as, partner, response);
      expect(tokens).toMatchObject({ token_type: 'bearer', scope: 'org:read' });
      expect(jose.decodeJwt(tokens.access_token)).toMatchObject({ sub: client.client_id, client_id: client.client_id });
    });

    it.each(['ES256', 'RS256', 'EdDSA'] as const)('accepts an assertion signed by hand with %s', async (alg) => {
      const algKey = await clientKey(alg);
      const { client: algClient } = await organizationWithClient(t, {
        token_endpoint_auth_method: 'private_key_jwt',
        jwks: jwksOf(algKey),
      });
      const response = await tokenRequest(t, await signAssertion(algKey, algClient.client_id, audience));
      expect(response.status).toBe(200);
      expect(jose.decodeJwt(response.body.access_token)).toMatchObject({ client_id: algClient.client_id });
    });

    it('accepts the token endpoint URL as the audience, and a matching client_id parameter', async () => {
      const assertion = await signAssertion(key, client.client_id, `${t.baseUrl}/oauth/token`);
      expect((await tokenRequest(t, assertion, { client_id: client.client_id })).status).toBe(200);
    });

    it('uses the new keys at once when the registered jwks change', async () => {
      const next = await clientKey('ES256');
      const { admin, client: rotating } = await organizationWithClient(t, {
        token_endpoint_auth_method: 'private_key_jwt',
        jwks: jwksOf(key),
      });
      expect((await tokenRequest(t, await signAssertion(key, rotating.client_id, audience))).status).toBe(200);
      const patched = await t
        .http()
        .patch(`/admin/clients/${rotating.client_id}`)
        .auth(admin, { type: 'bearer' })
        .send({ jwks: jwksOf(next) });
      expect(patched.status).toBe(200);
      expectAsForUnknownClient(await tokenRequest(t, await signAssertion(key, rotating.client_id, audience)));
      expect((await tokenRequest(t, await signAssertion(next, rotating.client_id, audience))).status).toBe(200);
    });
  });

  describe('refusals: every one a 401 invalid_client', () => {
    const assertionFor = (options: AssertionOptions = {}) => signAssertion(key, client.client_id, audience, options);

    it('refuses a replayed jti', async () => {
      const assertion = await assertionFor();
      expect((await tokenRequest(t, assertion)).status).toBe(200);
      expectInvalidClient(await tokenRequest(t, assertion), /replay/);
    });

    const now = () => Math.floor(Date.now() / 1000);
    it.each<[string, (issuer: string) => AssertionOptions, RegExp]>([
      ['no jti', () => ({ jti: null }), /jti/],
      ['a jti longer than 255 characters', () => ({ jti: 'j'.repeat(256) }), /jti/],
      ['no exp', () => ({ expiresIn: null }), /exp/],
      ['an exp more than 5 minutes ahead', () => ({ expiresIn: 360 }), /exp/],
      ['an exp in the past', () => ({ expiresIn: -120 }), /expired/],
      ['an iat in the future', () => ({ iat: now() + 240 }), /iat/],
      ['another audience', () => ({ audience: 'https://elsewhere.example' }), /aud/],
      ['the introspection endpoint as audience', (issuer) => ({ audience: `${issuer}/oauth/introspect` }), /aud/],
      ['iss different from sub', () => ({ issuer: 'someone-else' }), /iss and sub/],
    ])('refuses an assertion with %s, saying why once the signature verified', async (_case, options, description) => {
      expectInvalidClient(await tokenRequest(t, await assertionFor(options(t.baseUrl))), description);
    });

    it('refuses an assertion with an unknown kid as for an unknown client', async () => {
      expectAsForUnknownClient(await tokenRequest(t, await assertionFor({ kid: 'no-such-kid' })));
    });

    it('refuses an assertion whose sub is another client', async () => {
      const { client: other } = await organizationWithClient(t, {
        token_endpoint_auth_method: 'private_key_jwt',
        jwks: jwksOf(await clientKey()),
      });
      expectAsForUnknownClient(await tokenRequest(t, await signAssertion(key, other.client_id, audience)));
    });

    it('refuses a client_id parameter that differs from the sub', async () => {
      expectInvalidClient(await tokenRequest(t, await assertionFor(), { client_id: 'orgsync_ci_someoneelse000000000000' }), /client_id/);
    });

    it('refuses alg none', async () => {
      const unsecured = new jose.UnsecuredJWT({ jti: randomUUID(), aud: audience })
        .setIssuer(client.client_id)
        .setSubject(client.client_id)
        .setIssuedAt()
        .setExpirationTime('60s')
        .encode();
      expectInvalidClient(await tokenRequest(t, unsecured), /alg/);
    });

    it('refuses HS256 keyed with the bytes of the public key', async () => {
      const publicBytes = new TextEncoder().encode(JSON.stringify(key.publicJwk));
      const forged = await new jose.SignJWT({ jti: randomUUID() })
        .setProtectedHeader({ alg: 'HS256', kid: key.kid })
        .setIssuer(client.client_id)
        .setSubject(client.client_id)
        .setAudience(audience)
        .setIssuedAt()
        .setExpirationTime('60s')
        .sign(publicBytes);
      expectInvalidClient(await tokenRequest(t, forged), /alg/);
    });

    it('refuses an assertion signed by another key under the registered kid as for an unknown client', async () => {
      const impostor = await clientKey('ES256');
      expectAsForUnknownClient(await tokenRequest(t, await signAssertion({ ...impostor, kid: key.kid }, client.client_id, audience)));
    });

    it('refuses junk and oversized assertions without echoing them', async () => {
      expectInvalidClient(await tokenRequest(t, 'not.a.jwt'), /well-formed/);
      expectInvalidClient(await tokenRequest(t, `eyJ${'A'.repeat(9000)}`), /well-formed/);
    });

    it('refuses an assertion from a client registered for a secret, and a secret from a private_key_jwt client', async () => {
      const { admin, client: secretClient } = await organizationWithClient(t, { jwks: jwksOf(key) });
      expectInvalidClient(await tokenRequest(t, await signAssertion(key, secretClient.client_id, audience)), /client_secret_basic/);
      const { client: noKeys } = await organizationWithClient(t);
      expectInvalidClient(await tokenRequest(t, await signAssertion(key, noKeys.client_id, audience)));

      // The secret still exists once the client switches to private_key_jwt, but no longer authenticates it.
      const switched = await t
        .http()
        .patch(`/admin/clients/${secretClient.client_id}`)
        .auth(admin, { type: 'bearer' })
        .send({ token_endpoint_auth_method: 'private_key_jwt' });
      expect(switched.status).toBe(200);
      const withSecret = await t
        .http()
        .post('/oauth/token')
        .set('authorization', basicAuthorization(secretClient.client_id, secretClient.client_secret))
        .type('form')
        .send({ grant_type: 'client_credentials' });
      expectInvalidClient(withSecret, /private_key_jwt/);
    });

    it('refuses an assertion together with a client secret as invalid_request', async () => {
      const response = await tokenRequest(t, await assertionFor(), { client_id: client.client_id, client_secret: 'orgsync_cs_x' });
      expect(response.status).toBe(400);
      expect(response.body).toMatchObject({ error: 'invalid_request' });
    });

    it('refuses another client_assertion_type', async () => {
      const response = await tokenRequest(t, await assertionFor(), {
        client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:saml2-bearer',
      });
      expectInvalidClient(response, /assertion type/);
    });
  });

  describe('keys at a jwks_uri', () => {
    let server: JwksServer;
    let uriKey: ClientKey;
    let uriClient: CreatedClient;
    let admin: string;

    beforeAll(async () => {
      uriKey = await clientKey('RS256');
      server = await startJwksServer(jwksOf(uriKey));
      ({ admin, client: uriClient } = await organizationWithClient(t, {
        token_endpoint_auth_method: 'private_key_jwt',
        jwks_uri: server.url,
      }));
    });
    afterAll(() => server.close());

    const patchUri = async (uri: string) => {
      const response = await t
        .http()
        .patch(`/admin/clients/${uriClient.client_id}`)
        .auth(admin, { type: 'bearer' })
        .send({ jwks_uri: uri });
      expect(response.status).toBe(200);
    };

    it('fetches the keys once and keeps them; an unknown kid within the cooldown fetches nothing', async () => {
      expect(uriClient).toMatchObject({ jwks_uri: server.url });
      server.fetches = 0;
      expect((await tokenRequest(t, await signAssertion(uriKey, uriClient.client_id, audience))).status).toBe(200);
      expect((await tokenRequest(t, await signAssertion(uriKey, uriClient.client_id, audience))).status).toBe(200);
      expect(server.fetches).toBe(1);

      const rolled = await clientKey('ES256');
      server.serve(jwksOf(uriKey, rolled));
      expectAsForUnknownClient(await tokenRequest(t, await signAssertion(rolled, uriClient.client_id, audience)));
      expect(server.fetches).toBe(1);
    });

    it('fetches again from a changed jwks_uri', async () => {
      const rolled = await clientKey('ES256');
      server.serve(jwksOf(rolled));
      server.fetches = 0;
      await patchUri(`${server.url}?v=2`);
      expect((await tokenRequest(t, await signAssertion(rolled, uriClient.client_id, audience))).status).toBe(200);
      expect(server.fetches).toBe(1);
    });

    it.each([
      ['hangs past CLIENT_JWKS_TIMEOUT_MS', 'hang'],
      ['answers 500', 'error'],
      ['answers something other than JSON', 'not-json'],
    ] as const)('refuses the assertion when the jwks_uri %s, as for an unknown client', async (_case, behaviour) => {
      server.serve(behaviour);
      await patchUri(`${server.url}?case=${behaviour}`);
      server.fetches = 0;
      expectAsForUnknownClient(await tokenRequest(t, await signAssertion(uriKey, uriClient.client_id, audience)));
      // The refusal came from fetching the new jwks_uri, not from keys kept from the old one.
      expect(server.fetches).toBe(1);
    });
  });

  describe('admin API validation (RFC 9457 field errors)', () => {
    let admin: string;
    let organizationId: string;

    beforeAll(async () => {
      ({ admin, organizationId } = await organizationWithClient(t));
    });

    const create = (metadata: Record<string, unknown>) =>
      t
        .http()
        .post(`/admin/organizations/${organizationId}/clients`)
        .auth(admin, { type: 'bearer' })
        .send({ client_name: 'Keys', scope: 'org:read', token_endpoint_auth_method: 'private_key_jwt', ...metadata });

    async function expectFieldError(metadata: Record<string, unknown>, field: string, message: RegExp): Promise<void> {
      const response = await create(metadata);
      expect(response.status).toBe(400);
      expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(response.body.errors).toEqual(expect.arrayContaining([{ field, message: expect.stringMatching(message) }]));
    }

    it('refuses a JWK Set holding a private key', async () => {
      const { privateKey } = await jose.generateKeyPair('ES256', { extractable: true });
      await expectFieldError({ jwks: { keys: [await jose.exportJWK(privateKey)] } }, 'jwks', /private key material/);
    });

    it('refuses a symmetric (oct) key', async () => {
      await expectFieldError({ jwks: { keys: [{ kty: 'oct', k: randomBytes(32).toString('base64url') }] } }, 'jwks', /oct/);
    });

    it('refuses something that is not a JWK Set, and an empty one', async () => {
      await expectFieldError({ jwks: [key.publicJwk] }, 'jwks', /JWK Set/);
      await expectFieldError({ jwks: { keys: [] } }, 'jwks', /1 to 20 keys/);
    });

    it('refuses jwks and jwks_uri together', async () => {
      await expectFieldError({ jwks: jwksOf(key), jwks_uri: 'https://partner.example/jwks.json' }, 'jwks_uri', /both/);
    });

    it('refuses an http jwks_uri that is not loopback, and a relative one', async () => {
      await expectFieldError({ jwks_uri: 'http://partner.example/jwks.json' }, 'jwks_uri', /https/);
      await expectFieldError({ jwks_uri: '/jwks.json' }, 'jwks_uri', /https/);
    });

    it('refuses private_key_jwt without keys, at creation and on a change of method', async () => {
      await expectFieldError({}, 'jwks', /jwks or jwks_uri/);
      const { client: secretClient } = await organizationWithClient(t);
      const response = await t
        .http()
        .patch(`/admin/clients/${secretClient.client_id}`)
        .auth(admin, { type: 'bearer' })
        .send({ token_endpoint_auth_method: 'private_key_jwt' });
      expect(response.status).toBe(400);
      expect(response.body.errors).toEqual([{ field: 'jwks', message: expect.stringMatching(/jwks or jwks_uri/) }]);
    });
  });
});

describe('an http jwks_uri in production', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ NODE_ENV: 'production' });
  });
  afterAll(() => t.close());

  it('is refused even on loopback', async () => {
    const { admin, organizationId } = await organizationWithClient(t);
    const response = await t.http().post(`/admin/organizations/${organizationId}/clients`).auth(admin, { type: 'bearer' }).send({
      client_name: 'Keys',
      scope: 'org:read',
      token_endpoint_auth_method: 'private_key_jwt',
      jwks_uri: 'http://127.0.0.1:1/jwks.json',
    });
    expect(response.status).toBe(400);
    expect(response.body.errors).toEqual([{ field: 'jwks_uri', message: expect.stringMatching(/https/) }]);
  });
});
