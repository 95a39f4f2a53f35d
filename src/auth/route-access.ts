import type { ExecutionContext } from '@nestjs/common';
import type { Reflector } from '@nestjs/core';
import type { Scope } from '../common/scopes.js';
import { IS_PUBLIC } from './public.decorator.js';
import { REQUIRED_SCOPES } from './require-scopes.decorator.js';

/** What a route's decorators say about access: @Public(), @RequireScopes(...). */
export interface RouteAccess {
  readonly isPublic: boolean;
  readonly requiredScopes: readonly Scope[] | undefined;
}

type Handler = ReturnType<ExecutionContext['getHandler']>;
type ControllerClass = ReturnType<ExecutionContext['getClass']>;

/**
 * Decorator metadata is fixed once the classes are defined, so each route's
 * answer is read once (handler first, then class, as getAllAndOverride
 * does) and kept, instead of several reflection lookups by both global
 * guards on every request. Keyed by class and handler: a subclass may
 * inherit a handler under other class-level metadata.
 */
const cache = new WeakMap<ControllerClass, WeakMap<Handler, RouteAccess>>();

export function routeAccessOf(reflector: Reflector, context: ExecutionContext): RouteAccess {
  const handler = context.getHandler();
  const controller = context.getClass();
  let byHandler = cache.get(controller);
  if (!byHandler) {
    byHandler = new WeakMap();
    cache.set(controller, byHandler);
  }
  let access = byHandler.get(handler);
  if (!access) {
    const targets = [handler, controller];
    access = {
      isPublic: reflector.getAllAndOverride<boolean | undefined>(IS_PUBLIC, targets) === true,
      requiredScopes: reflector.getAllAndOverride<Scope[] | undefined>(REQUIRED_SCOPES, targets),
    };
    byHandler.set(handler, access);
  }
  return access;
}
