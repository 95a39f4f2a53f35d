import type { FastifyRequest } from 'fastify';
import { singleParameter } from '../client-auth/form-urlencoded.js';
import { type OAuthRequestContext, oauthRequestContext, readOAuthForm } from '../client-auth/oauth-form.js';
import { type ClientAuthenticationRequest, readClientAuthentication } from '../client-auth/presented-client-authentication.js';
import { OAuthError } from '../errors/oauth-error.js';

/** A request that presents a token to the authorization server: introspection (RFC 7662) or revocation (RFC 7009). */
export interface PresentedTokenRequest extends ClientAuthenticationRequest {
  readonly token: string | undefined;
  /**
   * RFC 7662 section 2.1 and RFC 7009 section 2.1: only a hint. This server has
   * access tokens alone, so it always looks there, whatever the hint says.
   */
  readonly tokenTypeHint: string | undefined;
  readonly context: OAuthRequestContext;
}

/** Reads the form (POST, x-www-form-urlencoded, no repeats) and the client authentication, as the token endpoint does. */
export function readPresentedTokenRequest(request: FastifyRequest, endpoint: 'introspection' | 'revocation'): PresentedTokenRequest {
  const params = readOAuthForm(request, endpoint);
  return {
    token: singleParameter(params, 'token'),
    tokenTypeHint: singleParameter(params, 'token_type_hint'),
    ...readClientAuthentication(request.headers.authorization, params),
    context: oauthRequestContext(request),
  };
}

/** RFC 7662 section 2.1 and RFC 7009 section 2.1: the token parameter is REQUIRED. */
export function requiredToken(request: PresentedTokenRequest): string {
  if (request.token === undefined) throw OAuthError.invalidRequest('The token parameter is missing.');
  return request.token;
}

/** The endpoints accept POST only (RFC 7662 section 2.1, RFC 7009 section 2.1). */
export function postOnly(endpoint: 'introspection' | 'revocation'): OAuthError {
  return OAuthError.invalidRequest(`The ${endpoint} endpoint accepts POST only.`, { allow: 'POST' });
}
