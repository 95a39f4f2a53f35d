import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { BearerErrors } from './bearer-errors.js';
import type { Principal } from './principal.js';
import { routeAccessOf } from './route-access.js';

/**
 * Global, after the bearer guard. Deny by default: a protected route that
 * declares no @RequireScopes is refused for everyone, so forgetting the
 * decorator can never open a route.
 */
@Injectable()
export class ScopesGuard implements CanActivate {
  constructor(private readonly reflector: Reflector) {}

  canActivate(context: ExecutionContext): boolean {
    const { isPublic, requiredScopes: required } = routeAccessOf(this.reflector, context);
    if (isPublic) return true;
    const principal = context.switchToHttp().getRequest<{ user?: Principal }>().user;
    if (!required || required.length === 0 || !principal) throw BearerErrors.insufficientScope(required ?? []);
    if (!required.every((scope) => principal.scopes.has(scope))) throw BearerErrors.insufficientScope(required);
    return true;
  }
}
