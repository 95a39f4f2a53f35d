import * as jose from 'jose';
import * as oauth from 'oauth4webapi';
import { organizationWithClient } from '../support/factories.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

/**
 * A real OAuth client library (oauth4webapi) and a real JOSE library (jose)
 * talk to the running server over HTTP on 127.0.0.1, as a partner would.
 */
describe('interoperability with oauth4webapi and jose', () => {
  let t: TestApp;
  let as: oauth.AuthorizationServer;

  beforeAll(async () => {
    t = await startTestApp();
    const issuer = new URL(t.baseUrl);
    // Loopback HTTP in tests only; the library insists on HTTPS otherwise.
    const response = await oauth.discoveryRequest(issuer, { algorithm: 'oauth2', [oauth.allowInsecureRequests]: true });
    as = await oauth.processDiscoveryResponse(issuer, response);
  });
  afterAll(() => t.close());

  it('discovers the authorization server metadata (RFC 8414)', () => {
    expect(as.issuer).toBe(t.baseUrl);
    expect(as.token_endpoint).toBe(`${t.baseUrl}/oauth/token`);
    expect(as.jwks_uri).toBe(`${t.baseUrl}/oauth/jwks`);
    expect(as.grant_types_supported).toEqual(['client_credentials']);
    expect(as.response_types_supported).toEqual([]);
    expect(as.token_endpoint_auth_methods_supported).toEqual(['client_secret_basic', 'client_secret_post', 'private_key_jwt']);
    expect(as.scopes_supported).toEqual(expect.arrayContaining(['org:read', 'members:read', 'admin']));
  });

  it.each([
    ['client_secret_basic', oauth.ClientSecretBasic],
    ['client_secret_post', oauth.ClientSecretPost],
  ] as const)('obtains a token with %s that verifies against the JWKS', async (method, clientAuth) => {
    const { organizationId, client } = await organizationWithClient(t, { token_endpoint_auth_method: method });
    const oauthClient: oauth.Client = { client_id: client.client_id };
    const response = await oauth.clientCredentialsGrantRequest(
      as,
      oauthClient,
      clientAuth(client.client_secret),
      { scope: 'members:read' },
      { [oauth.allowInsecureRequests]: true },
    );
    const tokens = await oauth.processClientCredentialsResponse(as, oauthClient, response);
    expect(tokens).toMatchObject({ token_type: 'bearer', expires_in: 600, scope: 'members:read' });
    expect(tokens.refresh_token).toBeUndefined();

    const jwks = jose.createRemoteJWKSet(new URL(as.jwks_uri!));
    const { payload, protectedHeader } = await jose.jwtVerify(tokens.access_token, jwks, {
      issuer: t.baseUrl,
      audience: `${t.baseUrl}/api`,
      typ: 'at+jwt',
      algorithms: ['ES256'],
    });
    expect(protectedHeader).toMatchObject({ alg: 'ES256', typ: 'at+jwt', kid: expect.any(String) });
    expect(payload).toMatchObject({
      sub: client.client_id,
      client_id: client.client_id,
      org_id: organizationId,
      scope: 'members:read',
      jti: expect.any(String),
    });
    expect(payload.exp! - payload.iat!).toBe(600);
  });

  it('is refused by the library when the secret is wrong', async () => {
    const { client } = await organizationWithClient(t);
    const oauthClient: oauth.Client = { client_id: client.client_id };
    const response = await oauth.clientCredentialsGrantRequest(
      as,
      oauthClient,
      oauth.ClientSecretBasic('orgsync_cs_wrong'),
      {},
      { [oauth.allowInsecureRequests]: true },
    );
    // A 401 carries a Basic challenge (RFC 6749 section 5.2), which the library surfaces as such.
    const error: unknown = await oauth.processClientCredentialsResponse(as, oauthClient, response).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(oauth.WWWAuthenticateChallengeError);
    expect(error).toMatchObject({ status: 401, cause: [expect.objectContaining({ scheme: 'basic', parameters: { realm: 'orgsync' } })] });
    expect(await (error as oauth.WWWAuthenticateChallengeError).response.json()).toMatchObject({ error: 'invalid_client' });
  });
});
