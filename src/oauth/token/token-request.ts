import type { FastifyRequest } from 'fastify';
import { singleParameter } from '../client-auth/form-urlencoded.js';
import { type OAuthRequestContext, oauthRequestContext, readOAuthForm } from '../client-auth/oauth-form.js';
import { type ClientAuthenticationRequest, readClientAuthentication } from '../client-auth/presented-client-authentication.js';

/** A token request as read off the wire, before anything is checked against stored state. */
export interface TokenRequest extends ClientAuthenticationRequest {
  readonly grantType: string | undefined;
  readonly scope: string | undefined;
  readonly context: OAuthRequestContext;
}

/** RFC 6749 section 3.2: reads a token request. */
export function readTokenRequest(request: FastifyRequest): TokenRequest {
  const params = readOAuthForm(request, 'token');
  return {
    grantType: singleParameter(params, 'grant_type'),
    scope: singleParameter(params, 'scope'),
    ...readClientAuthentication(request.headers.authorization, params),
    context: oauthRequestContext(request),
  };
}
