import { Injectable } from '@nestjs/common';
import { AccessTokenVerifier, type VerifiedAccessToken } from '../../auth/access-token.verifier.js';
import type { ClientAuthRecord } from '../../clients/client-directory.js';
import { ADMIN_SCOPE } from '../../common/scopes.js';
import { ClientAuthenticator } from '../client-auth/client-authenticator.js';
import { OAuthError } from '../errors/oauth-error.js';
import type { IntrospectionResponse } from './introspection.schemas.js';
import { type PresentedTokenRequest, requiredToken } from './presented-token-request.js';

/** RFC 7662 section 2.2: "the authorization server MUST NOT include any additional information about an inactive token". */
const INACTIVE: IntrospectionResponse = { active: false };

/**
 * RFC 7662 token introspection, in named steps: authenticate the caller as the
 * token endpoint does, check it holds the introspection permission, then judge
 * the token exactly as the bearer guard does (AccessTokenVerifier), so a token
 * is active here if and only if the resource APIs would accept it.
 */
@Injectable()
export class IntrospectionService {
  constructor(
    private readonly authenticator: ClientAuthenticator,
    private readonly verifier: AccessTokenVerifier,
  ) {}

  async introspect(request: PresentedTokenRequest): Promise<IntrospectionResponse> {
    const caller = await this.authenticator.authenticate(request, request.context);
    // Section 2.1: the endpoint MUST require authorization, so that token scanning is not possible.
    if (!caller.introspectionAllowed) throw OAuthError.clientNotPermitted('This client is not allowed to introspect tokens.');
    const verified = await this.verifier.verifyTokenIfValid(requiredToken(request));
    if (!verified || !mayLearnAbout(caller, verified)) return INACTIVE;
    return toActiveResponse(verified);
  }
}

/**
 * Section 4: the server may answer only what the caller is entitled to know. A
 * resource server learns about the tokens of its own organization; only a client
 * holding the admin scope (which only platform organizations' clients can hold)
 * learns about every organization's tokens. Anything else looks inactive.
 */
function mayLearnAbout(caller: ClientAuthRecord, verified: VerifiedAccessToken): boolean {
  return caller.organizationId === verified.claims.org_id || caller.allowedScopes.has(ADMIN_SCOPE);
}

function toActiveResponse({ claims, scopes }: VerifiedAccessToken): IntrospectionResponse {
  return {
    active: true,
    scope: scopes.join(' '),
    client_id: claims.client_id,
    token_type: 'Bearer',
    exp: claims.exp,
    iat: claims.iat,
    ...(claims.nbf === undefined ? {} : { nbf: claims.nbf }),
    ...(claims.sub === undefined ? {} : { sub: claims.sub }),
    aud: claims.aud,
    iss: claims.iss,
    jti: claims.jti,
    org_id: claims.org_id,
  };
}
