import { Inject, Injectable } from '@nestjs/common';
import { AuditLog } from '../../audit/audit-log.js';
import type { ClientAuthRecord } from '../../clients/client-directory.js';
import { TokenMetrics } from '../../metrics/token-metrics.js';
import { ClientAuthenticator } from '../client-auth/client-authenticator.js';
import { OAuthError } from '../errors/oauth-error.js';
import type { IssuedAccessToken } from '../tokens/access-token.issuer.js';
import { TOKEN_GRANTS, type TokenGrant } from './grants/token-grant.js';
import type { TokenRequest } from './token-request.js';

/** Longest client ID written to the audit log for a refused request (anything longer is not one of ours). */
const MAX_AUDITED_CLIENT_ID = 128;

/**
 * The token endpoint as a pipeline of named steps (RFC 6749 section 3.2):
 * authenticate the client, check the grant type is present and supported,
 * check the client may use it, then let the grant validate scope and issue.
 * Every outcome is audited.
 */
@Injectable()
export class TokenService {
  private readonly grants: ReadonlyMap<string, TokenGrant>;

  constructor(
    private readonly authenticator: ClientAuthenticator,
    private readonly audit: AuditLog,
    @Inject(TOKEN_GRANTS) grants: TokenGrant[],
    private readonly metrics: TokenMetrics,
  ) {
    this.grants = new Map(grants.map((grant) => [grant.grantType, grant]));
  }

  async exchange(request: TokenRequest): Promise<IssuedAccessToken> {
    let client: ClientAuthRecord | undefined;
    try {
      client = await this.authenticator.authenticate(request, request.context);
      const grant = this.grantFor(request.grantType);
      if (!client.grantTypes.has(grant.grantType)) {
        throw OAuthError.unauthorizedClient(`This client may not use the ${grant.grantType} grant.`);
      }
      const issued = await grant.handle(request, client);
      this.auditOutcome(request, client, issued);
      this.metrics.issued(client);
      return issued;
    } catch (error) {
      if (error instanceof OAuthError) this.auditOutcome(request, client, undefined, error);
      // `client` is set only once it authenticated: a claimed client_id never becomes a label.
      this.metrics.refused(error instanceof OAuthError ? error.error : 'server_error', client);
      throw error;
    }
  }

  private grantFor(grantType: string | undefined): TokenGrant {
    if (grantType === undefined) throw OAuthError.invalidRequest('The grant_type parameter is missing.');
    const grant = this.grants.get(grantType);
    if (!grant) throw OAuthError.unsupportedGrantType(`The grant type is not supported; use ${[...this.grants.keys()].join(', ')}.`);
    return grant;
  }

  private auditOutcome(request: TokenRequest, client: ClientAuthRecord | undefined, issued?: IssuedAccessToken, error?: OAuthError): void {
    const claimed = request.credentials?.clientId ?? request.unauthenticatedClientId;
    this.audit.record({
      action: issued ? 'token.issued' : 'token.refused',
      outcome: issued ? 'success' : 'failure',
      clientId: client?.clientId ?? (claimed && claimed.length <= MAX_AUDITED_CLIENT_ID ? claimed : null),
      organizationId: client?.organizationId ?? null,
      sourceAddress: request.context.sourceAddress,
      requestId: request.context.requestId,
      details: issued
        ? { grant_type: request.grantType, scope: issued.scope, jti: issued.tokenId, expires_in: issued.expiresIn }
        : {
            grant_type: request.grantType ?? null,
            requested_scope: request.scope ?? null,
            error: error?.error,
            reason: error?.description,
          },
    });
  }
}
