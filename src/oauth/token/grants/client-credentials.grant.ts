import { Injectable } from '@nestjs/common';
import { AppConfig } from '../../../config/app-config.js';
import type { ClientAuthRecord } from '../../../clients/client-directory.js';
import { formatScopes, parseScopeString } from '../../../common/scopes.js';
import { OAuthError } from '../../errors/oauth-error.js';
import { AccessTokenIssuer, type IssuedAccessToken } from '../../tokens/access-token.issuer.js';
import type { TokenRequest } from '../token-request.js';
import type { TokenGrant } from './token-grant.js';

/**
 * RFC 6749 section 4.4: the client acts on its own behalf (here, its
 * organization's). Section 4.4.3: a refresh token SHOULD NOT be included, and
 * none ever is.
 */
@Injectable()
export class ClientCredentialsGrant implements TokenGrant {
  readonly grantType = 'client_credentials';

  constructor(
    private readonly issuer: AccessTokenIssuer,
    private readonly config: AppConfig,
  ) {}

  async handle(request: TokenRequest, client: ClientAuthRecord): Promise<IssuedAccessToken> {
    const scopes = grantedScopes(request.scope, client);
    return this.issuer.issue({
      clientId: client.clientId,
      organizationId: client.organizationId,
      scopes,
      ttlSeconds: client.accessTokenTtl ?? this.config.oauth.accessTokenTtl,
    });
  }
}

/**
 * Section 3.3: every requested scope must be allowed, or the whole request is
 * invalid_scope (no silent narrowing); without a scope parameter the client's
 * default scopes apply, and a client with none must ask.
 */
export function grantedScopes(requested: string | undefined, client: ClientAuthRecord): string[] {
  if (requested === undefined) {
    if (client.defaultScopes.length === 0) {
      throw OAuthError.invalidScope('No scope was requested and this client has no default scopes.');
    }
    return [...client.defaultScopes];
  }
  const scopes = parseScopeString(requested);
  if (!scopes) throw OAuthError.invalidScope('The scope parameter is malformed (RFC 6749 section 3.3).');
  const refused = scopes.filter((scope) => !client.allowedScopes.has(scope));
  if (refused.length > 0) {
    throw OAuthError.invalidScope(`This client may not request: ${refused.join(' ')}.`);
  }
  return formatScopes(scopes).split(' ');
}
