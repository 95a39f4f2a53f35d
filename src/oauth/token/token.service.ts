import { Inject, Injectable } from '@nestjs/common';
import { OAuthError } from '../errors/oauth-error.js';
import type { IssuedAccessToken } from '../tokens/access-token.issuer.js';
import { ClientAuthenticator } from './client-authenticator.js';
import { TOKEN_GRANTS, type TokenGrant } from './grants/token-grant.js';
import type { TokenRequest } from './token-request.js';

/**
 * The token endpoint as a pipeline of named steps (RFC 6749 section 3.2):
 * authenticate the client, check the grant type is present and supported,
 * check the client may use it, then let the grant validate scope and issue.
 */
@Injectable()
export class TokenService {
  private readonly grants: ReadonlyMap<string, TokenGrant>;

  constructor(
    private readonly authenticator: ClientAuthenticator,
    @Inject(TOKEN_GRANTS) grants: TokenGrant[],
  ) {
    this.grants = new Map(grants.map((grant) => [grant.grantType, grant]));
  }

  async exchange(request: TokenRequest): Promise<IssuedAccessToken> {
    const client = await this.authenticator.authenticate(request);
    const grant = this.grantFor(request.grantType);
    if (!client.grantTypes.has(grant.grantType)) {
      throw OAuthError.unauthorizedClient(`This client may not use the ${grant.grantType} grant.`);
    }
    return grant.handle(request, client);
  }

  private grantFor(grantType: string | undefined): TokenGrant {
    if (grantType === undefined) throw OAuthError.invalidRequest('The grant_type parameter is missing.');
    const grant = this.grants.get(grantType);
    if (!grant) throw OAuthError.unsupportedGrantType(`The grant type is not supported; use ${[...this.grants.keys()].join(', ')}.`);
    return grant;
  }
}
