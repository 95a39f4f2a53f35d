import { startTestApp, type TestApp } from '../support/test-app.js';

const AUTH_METHODS = ['client_secret_basic', 'client_secret_post', 'private_key_jwt'];
/** RFC 8414 section 2 forbids none; RFC 7523 private_key_jwt needs asymmetric keys, so no HS* either. */
const ASSERTION_ALGORITHMS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA'];

describe('discovery and the edges of the HTTP surface', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('serves RFC 8414 metadata for the issuer', async () => {
    const response = await t.http().get('/.well-known/oauth-authorization-server');
    expect(response.status).toBe(200);
    expect(response.body).toEqual({
      issuer: t.baseUrl,
      token_endpoint: `${t.baseUrl}/oauth/token`,
      jwks_uri: `${t.baseUrl}/oauth/jwks`,
      scopes_supported: ['org:read', 'members:read', 'members:write', 'groups:read', 'groups:write', 'sync:read', 'metrics:read', 'admin'],
      response_types_supported: [],
      grant_types_supported: ['client_credentials'],
      token_endpoint_auth_methods_supported: AUTH_METHODS,
      token_endpoint_auth_signing_alg_values_supported: ASSERTION_ALGORITHMS,
      revocation_endpoint: `${t.baseUrl}/oauth/revoke`,
      revocation_endpoint_auth_methods_supported: AUTH_METHODS,
      revocation_endpoint_auth_signing_alg_values_supported: ASSERTION_ALGORITHMS,
      introspection_endpoint: `${t.baseUrl}/oauth/introspect`,
      introspection_endpoint_auth_methods_supported: AUTH_METHODS,
      introspection_endpoint_auth_signing_alg_values_supported: ASSERTION_ALGORITHMS,
    });
  });

  it('answers an unknown route with a 404 problem document', async () => {
    const response = await t.http().get('/no/such/route?x=1');
    expect(response.status).toBe(404);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.body).toMatchObject({ status: 404, title: 'Not Found', instance: '/no/such/route', request_id: expect.any(String) });
  });

  it('returns a request ID on every response, echoing a well-formed one it was given', async () => {
    const given = await t.http().get('/oauth/jwks').set('x-request-id', 'abc-123');
    expect(given.headers['x-request-id']).toBe('abc-123');
    const hostile = await t.http().get('/oauth/jwks').set('x-request-id', 'x'.repeat(500));
    expect(hostile.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });
});
