import { METHOD_METADATA, PATH_METADATA, ROUTE_ARGS_METADATA } from '@nestjs/common/constants.js';
import { RequestMethod } from '@nestjs/common';
import { RouteParamtypes } from '@nestjs/common/enums/route-paramtypes.enum.js';
import { ModulesContainer } from '@nestjs/core';
import { IS_PUBLIC } from '../../src/auth/public.decorator.js';
import { REQUIRED_SCOPES } from '../../src/auth/require-scopes.decorator.js';
import type { TestApp } from './test-app.js';

export interface Route {
  readonly method: string;
  /** As Nest declares it: `/admin/organizations/:id`. */
  readonly path: string;
  readonly isPublic: boolean;
  readonly scopes: readonly string[] | undefined;
  /** Whether the handler takes a @Body(). */
  readonly hasBody: boolean;
}

/** Every route the application serves, read from the controllers Nest actually loaded. */
export function routesOf(t: TestApp): Route[] {
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
        const args = (Reflect.getMetadata(ROUTE_ARGS_METADATA, controller, name) ?? {}) as Record<string, unknown>;
        routes.push({
          method: RequestMethod[Reflect.getMetadata(METHOD_METADATA, handler) as number]!,
          path: `/${[base, Reflect.getMetadata(PATH_METADATA, handler) as string].filter((p) => p && p !== '/').join('/')}`,
          isPublic: read<boolean>(IS_PUBLIC) === true,
          scopes: read<string[]>(REQUIRED_SCOPES),
          // Nest keys route arguments as `<paramtype>:<index>`.
          hasBody: Object.keys(args).some((key) => key.split(':')[0] === String(RouteParamtypes.BODY)),
        });
      }
    }
  }
  return routes;
}

/** The route's path as OpenAPI writes it: `/admin/organizations/{id}`. */
export function openApiPath(route: Route): string {
  return route.path.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
}
