import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants.js';
import { RequestMethod } from '@nestjs/common';
import { ModulesContainer } from '@nestjs/core';
import { IS_PUBLIC } from '../../src/auth/public.decorator.js';
import { REQUIRED_SCOPES } from '../../src/auth/require-scopes.decorator.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

interface Route {
  readonly method: string;
  readonly path: string;
  readonly isPublic: boolean;
  readonly scopes: readonly string[] | undefined;
}

/** Every route the application serves, read from the controllers Nest actually loaded. */
function routesOf(t: TestApp): Route[] {
  const routes: Route[] = [];
  for (const module of t.app.get(ModulesContainer).values()) {
    for (const wrapper of module.controllers.values()) {
      const controller = wrapper.metatype as (new (...args: never[]) => unknown) | null;
      if (!controller) continue;
      const base = Reflect.getMetadata(PATH_METADATA, controller) as string;
      for (const name of Object.getOwnPropertyNames(controller.prototype)) {
        const handler = (controller.prototype as Record<string, unknown>)[name];
        if (name === 'constructor' || typeof handler !== 'function' || Reflect.getMetadata(PATH_METADATA, handler) === undefined) continue;
        const read = <T>(key: string): T | undefined =>
          (Reflect.getMetadata(key, handler) as T | undefined) ?? (Reflect.getMetadata(key, controller) as T | undefined);
        routes.push({
          method: RequestMethod[Reflect.getMetadata(METHOD_METADATA, handler) as number]!,
          path: `/${[base, Reflect.getMetadata(PATH_METADATA, handler) as string].filter((p) => p && p !== '/').join('/')}`,
          isPublic: read<boolean>(IS_PUBLIC) === true,
          scopes: read<string[]>(REQUIRED_SCOPES),
        });
      }
    }
  }
  return routes;
}

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
    expect([...new Set(open)].sort()).toEqual(['/.well-known/oauth-authorization-server', '/oauth/jwks', '/oauth/token']);
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
