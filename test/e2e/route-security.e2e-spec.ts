import { routesOf } from '../support/routes.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

describe('deny by default', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('finds the routes it walks', () => {
    expect(routesOf(t).map((r) => `${r.method} ${r.path}`)).toEqual(
      expect.arrayContaining(['POST /oauth/token', 'GET /api/v1/organization', 'GET /admin/organizations']),
    );
  });

  it('has every route either public or guarded by at least one scope', () => {
    const unguarded = routesOf(t).filter((route) => !route.isPublic && (!route.scopes || route.scopes.length === 0));
    expect(unguarded).toEqual([]);
  });

  it('opens only the routes meant to be public', () => {
    const open = routesOf(t)
      .filter((route) => route.isPublic)
      .map((route) => route.path);
    expect([...new Set(open)].sort()).toEqual([
      '/.well-known/oauth-authorization-server',
      '/health/live',
      '/health/ready',
      '/oauth/introspect',
      '/oauth/jwks',
      '/oauth/revoke',
      '/oauth/token',
    ]);
  });

  it('answers every protected route with 401 and a Bearer challenge when no token is sent', async () => {
    const protectedRoutes = routesOf(t).filter((route) => !route.isPublic);
    for (const route of protectedRoutes) {
      const path = route.path.replace(/:[A-Za-z]+/g, 'some-id');
      const response = await t.http()[route.method.toLowerCase() as 'get'](path);
      expect({ route: `${route.method} ${route.path}`, status: response.status, challenge: response.headers['www-authenticate'] }).toEqual({
        route: `${route.method} ${route.path}`,
        status: 401,
        challenge: 'Bearer realm="orgsync"',
      });
    }
  });
});
