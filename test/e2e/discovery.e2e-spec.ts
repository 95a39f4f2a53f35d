import { startTestApp, type TestApp } from '../support/test-app.js';

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
      scopes_supported: ['org:read', 'members:read', 'members:write', 'groups:read', 'groups:write', 'sync:read', 'admin'],
      response_types_supported: [],
      grant_types_supported: ['client_credentials'],
      token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post'],
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
