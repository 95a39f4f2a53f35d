import { jest } from '@jest/globals';
import type { ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import passport from 'passport';
import { Strategy as CustomStrategy, type VerifyCallback } from 'passport-custom';
import { HttpProblem } from '../common/http/problem.js';
import type { AccessTokenVerifier } from './access-token.verifier.js';
import { BearerAuthGuard } from './bearer-auth.guard.js';
import { BearerErrors } from './bearer-errors.js';
import { BEARER_STRATEGY, BearerStrategy } from './bearer.strategy.js';
import type { Principal } from './principal.js';
import { Public } from './public.decorator.js';
import { RequireScopes } from './require-scopes.decorator.js';

class MembersLikeController {
  @RequireScopes('members:read')
  read(): void {}

  @Public()
  open(): void {}
}

interface FakeRequest {
  headers: Record<string, string | undefined>;
  user?: Principal;
}

const PRINCIPAL: Principal = {
  clientId: 'client-1',
  organizationId: 'org-1',
  scopes: new Set(['members:read']),
  tokenId: 'jti-1',
  expiresAt: 2_000_000_000,
};

function contextFor(request: FakeRequest, handler: () => void): ExecutionContext {
  return {
    getHandler: () => handler,
    getClass: () => MembersLikeController,
    switchToHttp: () => ({ getRequest: () => request, getResponse: () => ({}), getNext: () => undefined }),
  } as unknown as ExecutionContext;
}

describe('BearerAuthGuard', () => {
  const proto = MembersLikeController.prototype;
  let verify: jest.Mock<AccessTokenVerifier['verify']>;
  let guard: BearerAuthGuard;

  beforeEach(() => {
    verify = jest.fn<AccessTokenVerifier['verify']>().mockResolvedValue(PRINCIPAL);
    // Registers itself with passport under BEARER_STRATEGY, as the application's instance does.
    new BearerStrategy({ verify } as unknown as AccessTokenVerifier);
    guard = new BearerAuthGuard(new Reflector());
  });

  it('lets a valid token through and sets the principal the verifier returned as request.user', async () => {
    const request: FakeRequest = { headers: { authorization: 'Bearer abc.def.ghi' } };

    await expect(guard.canActivate(contextFor(request, proto.read))).resolves.toBe(true);
    expect(request.user).toBe(PRINCIPAL);
    expect(verify).toHaveBeenCalledWith('abc.def.ghi');
  });

  it("refuses with the verifier's own RFC 6750 problem, untouched", async () => {
    const refusal = BearerErrors.invalidToken('The access token has been revoked.');
    verify.mockRejectedValue(refusal);
    const request: FakeRequest = { headers: { authorization: 'Bearer abc.def.ghi' } };

    await expect(guard.canActivate(contextFor(request, proto.read))).rejects.toBe(refusal);
    expect(request.user).toBeUndefined();
  });

  it('answers a request without a token with the bare 401 challenge', async () => {
    const outcome = await Promise.resolve(guard.canActivate(contextFor({ headers: {} }, proto.read))).catch((error: unknown) => error);

    expect(outcome).toBeInstanceOf(HttpProblem);
    expect(outcome).toMatchObject({ status: 401, headers: { 'www-authenticate': 'Bearer realm="orgsync"' } });
    expect(verify).not.toHaveBeenCalled();
  });

  it('lets a @Public() route through at once, without asking passport or the verifier', () => {
    const authenticate = jest.spyOn(passport, 'authenticate');

    expect(guard.canActivate(contextFor({ headers: {} }, proto.open))).toBe(true);
    expect(authenticate).not.toHaveBeenCalled();
    expect(verify).not.toHaveBeenCalled();
    authenticate.mockRestore();
  });

  it('never lets a request through when the strategy decides nothing', async () => {
    // A strategy that neither succeeds nor fails (passport's pass()) must not open the route.
    passport.use(
      BEARER_STRATEGY,
      new CustomStrategy(function (this: { pass(): void }) {
        this.pass();
      } as unknown as VerifyCallback),
    );
    const request: FakeRequest = { headers: { authorization: 'Bearer abc.def.ghi' } };

    await expect(guard.canActivate(contextFor(request, proto.read))).rejects.toThrow('Bearer strategy returned no principal');
    expect(request.user).toBeUndefined();
  });
});
