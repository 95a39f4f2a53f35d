import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Scope } from '../common/scopes.js';
import { BearerErrors } from './bearer-errors.js';
import type { Principal } from './principal.js';
import { IS_PUBLIC } from './public.decorator.js';
import { REQUIRED_SCOPES } from './require-scopes.decorator.js';

/**
 * Global, after the bearer guard. Deny by default: a protected route that
 * declares no @RequireScopes is refused for everyone, so forgetting the
 * decorator can never open a route.
 */
@Injectable()
export class ScopesGuard implements CanActivate {
  constructor(private readonly reflector: Reflector) {}

  canActivate(context: ExecutionContext): boolean {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean | undefined>(IS_PUBLIC, targets)) return true;
    const required = this.reflector.getAllAndOverride<Scope[] | undefined>(REQUIRED_SCOPES, targets);
    const principal = context.switchToHttp().getRequest<{ user?: Principal }>().user;
    if (!required || required.length === 0 || !principal) throw BearerErrors.insufficientScope(required ?? []);
    if (!required.every((scope) => principal.scopes.has(scope))) throw BearerErrors.insufficientScope(required);
    return true;
  }
}
