import jwt from 'jsonwebtoken';
import type { Response } from 'supertest';
import { basicAuthorization, type CreatedClient, organizationWithClient } from '../support/factories.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

/** RFC 6749 section 5.2: JSON {error, error_description}, never cached. */
function expectOAuthError(response: Response, status: number, error: string): void {
  expect(response.status).toBe(status);
  expect(response.headers['content-type']).toMatch(/^application\/json/);
  expect(response.headers['cache-control']).toBe('no-store');
  expect(response.headers['pragma']).toBe('no-cache');
  expect(response.body).toEqual({ error, error_description: expect.any(String) });
  // Section 5.2: error_description holds only %x20-21 / %x23-5B / %x5D-7E, whatever the request carried.
  expect(response.body.error_description).toMatch(/^[\x20-\x21\x23-\x5b\x5d-\x7e]*$/);
}

describe('POST /oauth/token (client credentials, RFC 6749 section 4.4)', () => {
  let t: TestApp;
  let client: CreatedClient;
  let organizationId: string;
  let postClient: CreatedClient;

  beforeAll(async () => {
    t = await startTestApp();
    ({ client, organizationId } = await organizationWithClient(t, {
      scope: 'org:read members:read groups:read',
      default_scope: 'org:read',
    }));
    ({ client: postClient } = await organizationWithClient(t, { token_endpoint_auth_method: 'client_secret_post' }));
  });
  afterAll(() => t.close());

  const tokenRequest = () => t.http().post('/oauth/token');
  const asClient = (c: CreatedClient) => tokenRequest().set('authorization', basicAuthorization(c.client_id, c.client_secret)).type('form');

  describe('success (section 5.1)', () => {
    it('issues a bearer token with no-store headers and no refresh token', async () => {
      const response = await asClient(client).send({ grant_type: 'client_credentials' });
      expect(response.status).toBe(200);
      expect(response.headers['cache-control']).toBe('no-store');
      expect(response.headers['pragma']).toBe('no-cache');
      expect(response.body).toEqual({ access_token: expect.any(String), token_type: 'Bearer', expires_in: 600, scope: 'org:read' });
    });

    it('issues an RFC 9068 JWT access token naming the client and its organization', async () => {
      const response = await asClient(client).send({ grant_type: 'client_credentials', scope: 'members:read' });
      const decoded = jwt.decode(response.body.access_token, { complete: true });
      expect(decoded?.header).toEqual({ alg: 'ES256', typ: 'at+jwt', kid: expect.any(String) });
      const claims = decoded?.payload as jwt.JwtPayload;
      expect(claims).toEqual({
        iss: t.baseUrl,
        sub: client.client_id,
        aud: `${t.baseUrl}/api`,
        client_id: client.client_id,
        org_id: organizationId,
        scope: 'members:read',
        jti: expect.any(String),
        iat: expect.any(Number),
        exp: expect.any(Number),
      });
      expect(claims.exp! - claims.iat!).toBe(600);
    });

    it('gives every token a distinct jti', async () => {
      const first = await asClient(client).send({ grant_type: 'client_credentials' });
      const second = await asClient(client).send({ grant_type: 'client_credentials' });
      expect((jwt.decode(first.body.access_token) as jwt.JwtPayload).jti).not.toBe(
        (jwt.decode(second.body.access_token) as jwt.JwtPayload).jti,
      );
    });

    it('authenticates with client_secret_post', async () => {
      const response = await tokenRequest()
        .type('form')
        .send({ grant_type: 'client_credentials', client_id: postClient.client_id, client_secret: postClient.client_secret });
      expect(response.status).toBe(200);
      expect(response.body.scope).toBe('org:read members:read');
    });

    it('grants several requested scopes in canonical order', async () => {
      const response = await asClient(client).send({ grant_type: 'client_credentials', scope: 'groups:read org:read' });
      expect(response.body.scope).toBe('org:read groups:read');
    });

    it('treats empty parameters as absent (section 3.1)', async () => {
      const response = await asClient(client).send('grant_type=client_credentials&scope=&client_id=');
      expect(response.status).toBe(200);
      expect(response.body.scope).toBe('org:read');
    });

    it('ignores unknown parameters (section 3.2)', async () => {
      const response = await asClient(client).send('grant_type=client_credentials&foo=bar&resource_owner=x');
      expect(response.status).toBe(200);
    });

    it('accepts a client_id in the body that matches the Basic credentials', async () => {
      const response = await asClient(client).send({ grant_type: 'client_credentials', client_id: client.client_id });
      expect(response.status).toBe(200);
    });

    it('accepts a charset=utf-8 parameter on the content type', async () => {
      const response = await tokenRequest()
        .set('authorization', basicAuthorization(client.client_id, client.client_secret))
        .set('content-type', 'application/x-www-form-urlencoded; charset=UTF-8')
        .send('grant_type=client_credentials');
      expect(response.status).toBe(200);
    });
  });

  describe('invalid_request', () => {
    it.each([
      ['a missing grant_type', 'scope=org%3Aread'],
      ['a repeated grant_type', 'grant_type=client_credentials&grant_type=client_credentials'],
      ['a repeated scope', 'grant_type=client_credentials&scope=org%3Aread&scope=org%3Aread'],
      ['malformed percent-encoding', 'grant_type=client_credentials&scope=%zz'],
      ['percent-encoded bytes that are not UTF-8', 'grant_type=client_credentials&scope=%C3%28'],
    ])('refuses %s', async (_label, body) => {
      expectOAuthError(await asClient(client).send(body), 400, 'invalid_request');
    });

    it('names the repeated parameter', async () => {
      const response = await asClient(client).send('grant_type=client_credentials&grant_type=client_credentials');
      expect(response.body.error_description).toBe('The grant_type parameter is included more than once.');
    });

    it.each([
      ['JSON', 'application/json', '{"grant_type":"client_credentials"}'],
      ['malformed JSON', 'application/json', '{"grant_type":'],
      ['text', 'text/plain', 'grant_type=client_credentials'],
      ['multipart', 'multipart/form-data; boundary=x', '--x\r\n\r\n--x--'],
    ])('refuses a %s body', async (_label, contentType, body) => {
      const response = await tokenRequest()
        .set('authorization', basicAuthorization(client.client_id, client.client_secret))
        .set('content-type', contentType)
        .send(body);
      expectOAuthError(response, 400, 'invalid_request');
    });

    it('refuses a request without a body', async () => {
      const response = await tokenRequest().set('authorization', basicAuthorization(client.client_id, client.client_secret));
      expectOAuthError(response, 400, 'invalid_request');
    });

    it('refuses a charset other than UTF-8', async () => {
      const response = await tokenRequest()
        .set('authorization', basicAuthorization(client.client_id, client.client_secret))
        .set('content-type', 'application/x-www-form-urlencoded; charset=iso-8859-1')
        .send('grant_type=client_credentials');
      expectOAuthError(response, 400, 'invalid_request');
    });

    it('refuses binary garbage', async () => {
      const response = await tokenRequest()
        .set('authorization', basicAuthorization(client.client_id, client.client_secret))
        .set('content-type', 'application/x-www-form-urlencoded')
        .send(Buffer.from([0xff, 0xfe, 0x00, 0x01, 0x80, 0x3d, 0x26]));
      expectOAuthError(response, 400, 'invalid_request');
    });

    it('refuses an oversized body without reading it all', async () => {
      const response = await asClient(client).send(`grant_type=client_credentials&pad=${'x'.repeat(64 * 1024)}`);
      expectOAuthError(response, 400, 'invalid_request');
      expect(response.body.error_description).toMatch(/too large/);
    });

    it.each(['get', 'put', 'patch', 'delete'] as const)('refuses the %s method (section 3.2: POST only)', async (method) => {
      const response = await t.http()[method]('/oauth/token');
      expectOAuthError(response, 400, 'invalid_request');
      expect(response.headers['allow']).toBe('POST');
    });

    it('refuses client credentials in the query string', async () => {
      const response = await t
        .http()
        .post(`/oauth/token?client_id=${postClient.client_id}&client_secret=${postClient.client_secret}`)
        .type('form')
        .send({ grant_type: 'client_credentials' });
      expectOAuthError(response, 400, 'invalid_request');
      expect(JSON.stringify(response.body)).not.toContain(postClient.client_secret);
    });

    it('refuses two authentication methods at once', async () => {
      const response = await asClient(client).send({ grant_type: 'client_credentials', client_secret: client.client_secret });
      expectOAuthError(response, 400, 'invalid_request');
      expect(response.body.error_description).toMatch(/more than one method/);
    });

    it('refuses a body client_id that differs from the Basic one', async () => {
      const response = await asClient(client).send({ grant_type: 'client_credentials', client_id: postClient.client_id });
      expectOAuthError(response, 400, 'invalid_request');
    });

    it('refuses a malformed Basic header', async () => {
      const response = await tokenRequest().set('authorization', 'Basic %%%').type('form').send({ grant_type: 'client_credentials' });
      expectOAuthError(response, 400, 'invalid_request');
    });
  });

  describe('invalid_client (401)', () => {
    async function expectInvalidClient(response: Response): Promise<void> {
      expectOAuthError(response, 401, 'invalid_client');
      expect(response.headers['www-authenticate']).toBe('Basic realm="orgsync"');
    }

    it('answers a wrong secret and an unknown client identically', async () => {
      const wrongSecret = await tokenRequest()
        .set('authorization', basicAuthorization(client.client_id, 'orgsync_cs_wrong'))
        .type('form')
        .send({ grant_type: 'client_credentials' });
      const unknownClient = await tokenRequest()
        .set('authorization', basicAuthorization('orgsync_ci_doesnotexist', 'orgsync_cs_wrong'))
        .type('form')
        .send({ grant_type: 'client_credentials' });
      await expectInvalidClient(wrongSecret);
      await expectInvalidClient(unknownClient);
      expect(wrongSecret.body).toEqual(unknownClient.body);
    });

    it('refuses a request without client authentication', async () => {
      await expectInvalidClient(await tokenRequest().type('form').send({ grant_type: 'client_credentials' }));
    });

    it('refuses a client_id without a secret (no public clients)', async () => {
      await expectInvalidClient(await tokenRequest().type('form').send({ grant_type: 'client_credentials', client_id: client.client_id }));
    });

    it('enforces the registered method: a client_secret_post client using Basic', async () => {
      await expectInvalidClient(await asClient(postClient).send({ grant_type: 'client_credentials' }));
    });

    it('enforces the registered method: a client_secret_basic client using the body', async () => {
      const response = await tokenRequest()
        .type('form')
        .send({ grant_type: 'client_credentials', client_id: client.client_id, client_secret: client.client_secret });
      await expectInvalidClient(response);
    });

    it('does not echo the secret it refused', async () => {
      const response = await tokenRequest()
        .set('authorization', basicAuthorization(client.client_id, 'orgsync_cs_leaked_value'))
        .type('form')
        .send({ grant_type: 'client_credentials' });
      expect(response.text).not.toContain('orgsync_cs_leaked_value');
    });
  });

  describe('grant and scope errors', () => {
    it('refuses an unknown grant type with unsupported_grant_type', async () => {
      expectOAuthError(await asClient(client).send({ grant_type: 'password' }), 400, 'unsupported_grant_type');
    });

    it('refuses the authorization code grant too', async () => {
      expectOAuthError(await asClient(client).send({ grant_type: 'authorization_code', code: 'x' }), 400, 'unsupported_grant_type');
    });

    it('refuses the whole request when one requested scope is not allowed', async () => {
      const response = await asClient(client).send({ grant_type: 'client_credentials', scope: 'org:read members:write' });
      expectOAuthError(response, 400, 'invalid_scope');
      expect(response.body.error_description).toContain('members:write');
    });

    it('refuses unknown and malformed scopes', async () => {
      expectOAuthError(await asClient(client).send({ grant_type: 'client_credentials', scope: 'everything' }), 400, 'invalid_scope');
      expectOAuthError(
        await asClient(client).send({ grant_type: 'client_credentials', scope: 'org:read  members:read' }),
        400,
        'invalid_scope',
      );
    });
  });

  describe('hostile input never yields a 500', () => {
    const bodies: Array<[string, string | Buffer]> = [
      ['a NUL byte', 'grant_type=client_credentials%00&scope=org%3Aread'],
      ['a lone surrogate escape', 'grant_type=%ED%A0%80'],
      ['a huge scope', `grant_type=client_credentials&scope=${'a'.repeat(15_000)}`],
      ['many ampersands', '&'.repeat(10_000)],
      ['an equals-only body', '===='],
      ['random bytes', Buffer.from(Array.from({ length: 512 }, (_, i) => (i * 7919) % 256))],
      ['prototype pollution names', '__proto__=x&constructor=y&grant_type=client_credentials'],
    ];

    it.each(bodies)('answers %s with a 4xx OAuth error', async (_label, body) => {
      const response = await tokenRequest()
        .set('authorization', basicAuthorization(client.client_id, client.client_secret))
        .set('content-type', 'application/x-www-form-urlencoded')
        .send(body);
      expect(response.status).toBeGreaterThanOrEqual(200);
      expect(response.status).toBeLessThan(500);
      if (response.status !== 200) expect(response.body.error).toEqual(expect.any(String));
    });

    it('answers a huge Authorization header with a 4xx', async () => {
      const response = await tokenRequest()
        .set('authorization', `Basic ${Buffer.from(`${'a'.repeat(6000)}:${'b'.repeat(6000)}`).toString('base64')}`)
        .type('form')
        .send({ grant_type: 'client_credentials' });
      expect(response.status).toBe(401);
      expect(response.body.error).toBe('invalid_client');
    });
  });
});

describe('Basic credentials with characters that need form-encoding (RFC 6749 Appendix B)', () => {
  const clientSecret = 'p@ss:w+rd%20 with/slashes=and&ampersands-0123456789';
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({ BOOTSTRAP_ADMIN_CLIENT_ID: 'ops:admin+1', BOOTSTRAP_ADMIN_CLIENT_SECRET: clientSecret });
  });
  afterAll(() => t.close());

  it('decodes the form-encoded client ID and secret inside the Basic header', async () => {
    const response = await t
      .http()
      .post('/oauth/token')
      .set('authorization', basicAuthorization('ops:admin+1', clientSecret))
      .type('form')
      .send({ grant_type: 'client_credentials' });
    expect(response.status).toBe(200);
    expect(response.body.scope).toBe('admin');
  });

  it('does not accept the same credentials without the form-encoding', async () => {
    const raw = `Basic ${Buffer.from(`ops:admin+1:${clientSecret}`).toString('base64')}`;
    const response = await t.http().post('/oauth/token').set('authorization', raw).type('form').send({ grant_type: 'client_credentials' });
    expect(response.status).toBe(401);
  });
});
