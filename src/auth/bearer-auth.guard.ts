import { type ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthGuard } from '@nestjs/passport';
import passport from 'passport';
import { BEARER_STRATEGY } from './bearer.strategy.js';
import type { Principal } from './principal.js';
import { routeAccessOf } from './route-access.js';

/** No session: a bearer token authenticates its own request only (RFC 6750 section 2). */
const AUTHENTICATE_OPTIONS: passport.AuthenticateOptions = { session: false };

/** Global: every route needs a valid bearer token unless it is marked @Public(). */
@Injectable()
export class BearerAuthGuard extends AuthGuard(BEARER_STRATEGY) {
  constructor(private readonly reflector: Reflector) {
    super();
  }

  /**
   * The bearer strategy run through passport.authenticate, as AuthGuard's own
   * canActivate runs it, without what that costs on every call for options
   * that never change here: three option objects merged, two more promises
   * awaited (profile of GET /members/:id). The outcome is handleRequest's, as there.
   */
  override canActivate(context: ExecutionContext): Promise<boolean> | boolean {
    if (routeAccessOf(this.reflector, context).isPublic) return true;
    const http = context.switchToHttp();
    const request = http.getRequest<{ user?: Principal }>();
    return new Promise<boolean>((resolve, reject) => {
      // passport calls this with the strategy's outcome, or calls it as `next` if a strategy passes without one.
      const settle = (error: unknown, user?: Principal | false): void => {
        try {
          request.user = this.handleRequest(error, user ?? false);
          resolve(true);
        } catch (refusal) {
          reject(refusal);
        }
      };
      passport.authenticate(BEARER_STRATEGY, AUTHENTICATE_OPTIONS, settle)(request, http.getResponse(), settle);
    });
  }

  /** Errors from the strategy are already RFC 6750 problems; pass them on untouched. */
  override handleRequest<TUser>(error: unknown, user: TUser | false): TUser {
    if (error) throw error;
    if (!user) throw new Error('Bearer strategy returned no principal');
    return user;
  }
}
