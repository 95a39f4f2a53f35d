import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import type { FastifyRequest } from 'fastify';
import { Strategy } from 'passport-custom';
import { AccessTokenVerifier } from './access-token.verifier.js';
import { BearerErrors } from './bearer-errors.js';
import type { Principal } from './principal.js';

export const BEARER_STRATEGY = 'bearer';

/**
 * RFC 6750 section 2.1: the token travels in the Authorization header only.
 * The form-body and query-string methods are not accepted: query strings end
 * up in logs and caches (RFC 9700 section 4.3.2 / RFC 6750 section 5.3).
 */
@Injectable()
export class BearerStrategy extends PassportStrategy(Strategy, BEARER_STRATEGY) {
  constructor(private readonly verifier: AccessTokenVerifier) {
    super();
  }

  /** Not async: the verifier's promise is the answer, and PassportStrategy catches what is thrown here. */
  validate(request: FastifyRequest): Promise<Principal> {
    const authorization = request.headers.authorization;
    if (authorization === undefined || authorization.trim() === '') throw BearerErrors.missingToken();
    const match = /^Bearer +([^ ]+) *$/i.exec(authorization);
    if (!match?.[1]) {
      if (/^Bearer\b/i.test(authorization)) throw BearerErrors.invalidRequest('The Authorization header is not a valid Bearer credential.');
      // Another scheme (Basic, say) is as good as no bearer token at all.
      throw BearerErrors.missingToken();
    }
    return this.verifier.verify(match[1]);
  }
}
