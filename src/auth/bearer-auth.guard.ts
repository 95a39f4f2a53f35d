import { type ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthGuard } from '@nestjs/passport';
import { BEARER_STRATEGY } from './bearer.strategy.js';
import { routeAccessOf } from './route-access.js';

/** Global: every route needs a valid bearer token unless it is marked @Public(). */
@Injectable()
export class BearerAuthGuard extends AuthGuard(BEARER_STRATEGY) {
  constructor(private readonly reflector: Reflector) {
    super();
  }

  override canActivate(context: ExecutionContext): Promise<boolean> | boolean {
    if (routeAccessOf(this.reflector, context).isPublic) return true;
    return super.canActivate(context) as Promise<boolean>;
  }

  /** Errors from the strategy are already RFC 6750 problems; pass them on untouched. */
  override handleRequest<TUser>(error: unknown, user: TUser | false): TUser {
    if (error) throw error;
    if (!user) throw new Error('Bearer strategy returned no principal');
    return user;
  }
}
