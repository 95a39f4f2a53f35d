import { generateKeyPairSync } from 'node:crypto';
import jwt from 'jsonwebtoken';
import * as oauth from 'oauth4webapi';
import type { Response } from 'supertest';
import { adminToken, basicAuthorization, createClient, createOrganization, type CreatedClient, obtainToken } from '../support/factories.js';
import { claimsOf, introspect, revoke, signWithServerKey } from '../support/token-requests.js';
import { ADMIN_CLIENT_ID, ADMIN_CLIENT_SECRET, startTestApp, type TestApp } from '../support/test-app.js';

/** RFC 7662 section 2.2: an inactive token gets `active: false` and nothing else. */
function expectInactive(response: Response): void {
  expect(response.status).toBe(200);
  expect(response.body).toEqual({ active: false });
  expect(response.headers['cache-control']).toBe('no-store');
}

function expectOAuthError(response: Response, status: number, error: string): void {
  expect(response.status).toBe(status);
  expect(response.body).toEqual({ error, error_description: expect.any(String) });
  expect(response.headers['cache-control']).toBe('no-store');
}

describe('token introspection (RFC 7662)', () => {
  let t: TestApp;
  let admin: string;
  let organizationId: string;
  /** A resource server of the organization, allowed to introspect. */
  let resourceServer: CreatedClient;
  let partner: CreatedClient;
  let otherOrganizationPartner: CreatedClient;
  const platformAdmin = { client_id: ADMIN_CLIENT_ID, client_secret: ADMIN_CLIENT_SECRET } as CreatedClient;

  beforeAll(async () => {
    t = await startTestApp();
    admin = await adminToken(t);
    organizationId = (await createOrganization(t, admin, 'Resource Org')).id;
    resourceServer = await createClient(t, admin, organizationId, { client_name: 'Resource server', introspection_allowed: true });
    partner = await createClient(t, admin, organizationId, { scope: 'org:read members:read' });
    const other = await createOrganization(t, admin, 'Other Org');
    otherOrganizationPartner = await createClient(t, admin, other.id);
    const granted = await t
      .http()
      .patch(`/admin/clients/${ADMIN_CLIENT_ID}`)
      .auth(admin, { type: 'bearer' })
      .send({ introspection_allowed: true });
    expect(granted.status).toBe(200);
  });
  afterAll(() => t.close());

  const tokenOf = (client: CreatedClient, scope?: string) => obtainToken(t, client.client_id, client.client_secret, scope);

  it('describes an active token of its own organization with the RFC 7662 section 2.2 members, never cached', async () => {
    const token = await tokenOf(partner, 'org:read members:read');
    const claims = jwt.decode(token) as Record<string, unknown>;

    const response = await introspect(t, resourceServer, { token });

    expect(response.status).toBe(200);
    expect(response.headers['cache-control']).toBe('no-store');
    expect(response.headers['content-type']).toMatch(/^application\/json/);
    expect(response.body).toEqual({
      active: true,
      scope: 'org:read members:read',
      client_id: partner.client_id,
      token_type: 'Bearer',
      exp: claims.exp,
      iat: claims.iat,
      sub: partner.client_id,
      aud: t.config.oauth.audience,
      iss: t.config.oauth.issuer,
      jti: claims.jti,
      org_id: organizationId,
    });
  });

  it('answers oauth4webapi, a real client library, with client_secret_post', async () => {
    const rs = await createClient(t, admin, organizationId, {
      token_endpoint_auth_method: 'client_secret_post',
      introspection_allowed: true,
    });
    const token = await tokenOf(partner, 'org:read');
    const as: oauth.AuthorizationServer = { issuer: t.baseUrl, introspection_endpoint: `${t.baseUrl}/oauth/introspect` };
    const client: oauth.Client = { client_id: rs.client_id };
    const options = { [oauth.allowInsecureRequests]: true };

    const active = await oauth.processIntrospectionResponse(
      as,
      client,
      await oauth.introspectionRequest(as, client, oauth.ClientSecretPost(rs.client_secret), token, options),
    );
    expect(active).toMatchObject({ active: true, client_id: partner.client_id, scope: 'org:read', org_id: organizationId });

    const inactive = await oauth.processIntrospectionResponse(
      as,
      client,
      await oauth.introspectionRequest(as, client, oauth.ClientSecretPost(rs.client_secret), 'not-a-token', options),
    );
    expect(inactive).toEqual({ active: false });
  });

  it('ignores a token_type_hint it does not know (section 2.1)', async () => {
    const token = await tokenOf(partner);
    const response = await introspect(t, resourceServer, { token, token_type_hint: 'refresh_token' });
    expect(response.body).toMatchObject({ active: true, jti: (jwt.decode(token) as { jti: string }).jti });
    expect((await introspect(t, resourceServer, { token, token_type_hint: 'urn:example:whatever' })).body.active).toBe(true);
  });

  it('reports nbf when the token has one', async () => {
    const claims = claimsOf(t, partner, { nbf: Math.floor(Date.now() / 1000) - 5 });
    const response = await introspect(t, resourceServer, { token: await signWithServerKey(t, claims) });
    expect(response.body).toMatchObject({ active: true, nbf: claims.nbf });
  });

  it('reports only the scopes the client still holds', async () => {
    const client = await createClient(t, admin, organizationId, { scope: 'org:read members:read' });
    const token = await tokenOf(client, 'org:read members:read');
    await t.http().patch(`/admin/clients/${client.client_id}`).auth(admin, { type: 'bearer' }).send({ scope: 'members:read' }).expect(200);

    expect((await introspect(t, resourceServer, { token })).body).toMatchObject({ active: true, scope: 'members:read' });
  });

  describe('answers {"active": false} and nothing more', () => {
    it.each([
      ['a malformed token', 'not-a-jwt'],
      ['an empty-looking token', 'a.b.c'],
      ['an absurdly long token', `${'a'.repeat(5000)}.b.c`],
    ])('for %s', async (_case, token) => {
      expectInactive(await introspect(t, resourceServer, { token }));
    });

    it('for a token signed by a key that is not ours', async () => {
      const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
      const token = jwt.sign(claimsOf(t, partner), privateKey, {
        algorithm: 'ES256',
        header: { alg: 'ES256', typ: 'at+jwt', kid: 'foreign' },
      });
      expectInactive(await introspect(t, resourceServer, { token }));
    });

    it('for an expired token', async () => {
      const past = Math.floor(Date.now() / 1000) - 3600;
      const token = await signWithServerKey(t, claimsOf(t, partner, { iat: past, exp: past + 600 }));
      expectInactive(await introspect(t, resourceServer, { token }));
    });

    it('for a token of another issuer', async () => {
      const token = await signWithServerKey(t, claimsOf(t, partner, { iss: 'https://elsewhere.example' }));
      expectInactive(await introspect(t, resourceServer, { token }));
    });

    it('for a token meant for another audience', async () => {
      const token = await signWithServerKey(t, claimsOf(t, partner, { aud: 'https://elsewhere.example/api' }));
      expectInactive(await introspect(t, resourceServer, { token }));
    });

    it('for a revoked token', async () => {
      const token = await tokenOf(partner);
      expect((await introspect(t, resourceServer, { token })).body.active).toBe(true);
      expect((await revoke(t, partner, { token })).status).toBe(200);
      expectInactive(await introspect(t, resourceServer, { token }));
    });

    it('for a token of a disabled client, and of a deleted one', async () => {
      const disabled = await createClient(t, admin, organizationId);
      const deleted = await createClient(t, admin, organizationId);
      const [disabledToken, deletedToken] = [await tokenOf(disabled), await tokenOf(deleted)];
      await t.http().patch(`/admin/clients/${disabled.client_id}`).auth(admin, { type: 'bearer' }).send({ status: 'disabled' }).expect(200);
      await t.http().delete(`/admin/clients/${deleted.client_id}`).auth(admin, { type: 'bearer' }).expect(204);

      expectInactive(await introspect(t, resourceServer, { token: disabledToken }));
      expectInactive(await introspect(t, resourceServer, { token: deletedToken }));
    });

    it('for a token of a deleted organization, to the platform admin', async () => {
      const doomed = await createOrganization(t, admin, 'Doomed Org');
      const client = await createClient(t, admin, doomed.id);
      const token = await tokenOf(client);
      expect((await introspect(t, platformAdmin, { token })).body.active).toBe(true);

      await t.http().delete(`/admin/organizations/${doomed.id}`).auth(admin, { type: 'bearer' }).expect(204);
      expectInactive(await introspect(t, platformAdmin, { token }));
    });

    it("for another organization's token, however valid: a resource server learns only about its own organization", async () => {
      const token = await tokenOf(otherOrganizationPartner);
      expectInactive(await introspect(t, resourceServer, { token }));
      // The token itself is fine: the organization API accepts it.
      expect((await t.http().get('/api/v1/organization').auth(token, { type: 'bearer' })).status).toBe(200);
    });
  });

  it("describes any organization's token to a platform client holding the admin scope", async () => {
    const token = await tokenOf(otherOrganizationPartner);
    expect((await introspect(t, platformAdmin, { token })).body).toMatchObject({
      active: true,
      client_id: otherOrganizationPartner.client_id,
      org_id: otherOrganizationPartner.organization_id,
    });
  });

  describe('refuses', () => {
    it('a client without the introspection permission, with 403 unauthorized_client', async () => {
      const token = await tokenOf(partner);
      const response = await introspect(t, partner, { token });
      expectOAuthError(response, 403, 'unauthorized_client');
      expect(response.body.error_description).toBe('This client is not allowed to introspect tokens.');
    });

    it('a client whose permission was taken away, at once', async () => {
      const rs = await createClient(t, admin, organizationId, { introspection_allowed: true });
      const token = await tokenOf(partner);
      expect((await introspect(t, rs, { token })).status).toBe(200);
      const updated = await t
        .http()
        .patch(`/admin/clients/${rs.client_id}`)
        .auth(admin, { type: 'bearer' })
        .send({ introspection_allowed: false });
      expect(updated.body.introspection_allowed).toBe(false);
      expectOAuthError(await introspect(t, rs, { token }), 403, 'unauthorized_client');
    });

    it('a request without a token, with invalid_request', async () => {
      expectOAuthError(await introspect(t, resourceServer, {}), 400, 'invalid_request');
      expectOAuthError(await introspect(t, resourceServer, { token: '' }), 400, 'invalid_request');
    });

    it('a token sent twice, with invalid_request', async () => {
      const response = await t
        .http()
        .post('/oauth/introspect')
        .set('authorization', basicAuthorization(resourceServer.client_id, resourceServer.client_secret))
        .type('form')
        .send('token=a&token=b');
      expectOAuthError(response, 400, 'invalid_request');
    });

    it('a token in the query string, with invalid_request', async () => {
      const response = await t
        .http()
        .post('/oauth/introspect?token=abc')
        .set('authorization', basicAuthorization(resourceServer.client_id, resourceServer.client_secret))
        .type('form')
        .send({ token: 'abc' });
      expectOAuthError(response, 400, 'invalid_request');
    });

    it.each([
      ['no client authentication', undefined],
      ['a wrong secret', () => basicAuthorization(resourceServer.client_id, 'orgsync_cs_wrong')],
      ['an unknown client', () => basicAuthorization('orgsync_unknown', 'orgsync_cs_wrong')],
    ])('%s, with 401 invalid_client and a Basic challenge', async (_case, authorization) => {
      const request = t.http().post('/oauth/introspect').type('form');
      if (authorization) void request.set('authorization', authorization());
      const response = await request.send({ token: 'whatever' });
      expectOAuthError(response, 401, 'invalid_client');
      expect(response.headers['www-authenticate']).toBe('Basic realm="orgsync"');
    });

    it('a client authenticating with a method it is not registered for, with 401 invalid_client', async () => {
      const response = await t
        .http()
        .post('/oauth/introspect')
        .type('form')
        .send({ token: 'whatever', client_id: resourceServer.client_id, client_secret: resourceServer.client_secret });
      expectOAuthError(response, 401, 'invalid_client');
    });

    it.each(['get', 'put', 'patch', 'delete'] as const)('%s, with invalid_request and Allow: POST', async (method) => {
      const response = await t.http()[method]('/oauth/introspect');
      expectOAuthError(response, 400, 'invalid_request');
      expect(response.headers.allow).toBe('POST');
    });

    it('a body that is not a form, with invalid_request', async () => {
      const response = await t
        .http()
        .post('/oauth/introspect')
        .set('authorization', basicAuthorization(resourceServer.client_id, resourceServer.client_secret))
        .send({ token: 'abc' });
      expectOAuthError(response, 400, 'invalid_request');
    });
  });

  it('shows and sets introspection_allowed in the admin API, false by default', async () => {
    const client = await createClient(t, admin, organizationId);
    expect(client).toMatchObject({ introspection_allowed: false });
    expect(resourceServer).toMatchObject({ introspection_allowed: true });
    const shown = await t.http().get(`/admin/clients/${resourceServer.client_id}`).auth(admin, { type: 'bearer' });
    expect(shown.body.introspection_allowed).toBe(true);
    const invalid = await t
      .http()
      .patch(`/admin/clients/${client.client_id}`)
      .auth(admin, { type: 'bearer' })
      .send({ introspection_allowed: 'yes' });
    expect(invalid.status).toBe(400);
    expect(invalid.body.errors).toContainEqual({ field: 'introspection_allowed', message: 'introspection_allowed must be true or false' });
  });
});
