import type { ClientAuthRecord } from '../../../clients/client-directory.js';
import type { IssuedAccessToken } from '../../tokens/access-token.issuer.js';
import type { TokenRequest } from '../token-request.js';

/** One grant type. The token endpoint authenticates the client, then hands the request to its grant. */
export interface TokenGrant {
  readonly grantType: string;
  handle(request: TokenRequest, client: ClientAuthRecord): Promise<IssuedAccessToken>;
}

export const TOKEN_GRANTS = Symbol('TOKEN_GRANTS');
