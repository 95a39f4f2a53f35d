import { Injectable } from '@nestjs/common';
import { AuditLog } from '../../audit/audit-log.js';
import { AccessTokenVerifier } from '../../auth/access-token.verifier.js';
import { Clock } from '../../common/clock.js';
import { ClientAuthenticator } from '../client-auth/client-authenticator.js';
import { type PresentedTokenRequest, requiredToken } from '../introspection/presented-token-request.js';
import { RevocationList } from './revocation-list.js';

/**
 * RFC 7009 token revocation, in named steps: authenticate the caller as the
 * token endpoint does, verify the token's signature and state as the bearer
 * guard does (so a forged token never writes a row), check it was issued to the
 * caller, then record the revocation. Every outcome but an error of the request
 * itself is the same 200.
 */
@Injectable()
export class RevocationService {
  constructor(
    private readonly authenticator: ClientAuthenticator,
    private readonly verifier: AccessTokenVerifier,
    private readonly revocations: RevocationList,
    private readonly audit: AuditLog,
    private readonly clock: Clock,
  ) {}

  async revoke(request: PresentedTokenRequest): Promise<void> {
    const caller = await this.authenticator.authenticate(request, request.context);
    const verified = await this.verifier.verifyTokenIfValid(requiredToken(request));
    // Section 2.2: "invalid tokens do not cause an error response", and one no longer valid has nothing left to revoke.
    if (!verified) return;
    // Section 2.1: a client may revoke only the tokens issued to it. Another's is left alone with the same 200, so
    // that the endpoint never tells a client whether a token it should not hold is valid.
    if (verified.claims.client_id !== caller.clientId) return;
    const { jti, exp, org_id: organizationId } = verified.claims;
    await this.revocations.revoke({
      jti,
      clientId: caller.clientId,
      organizationId,
      expiresAt: new Date(exp * 1000),
      revokedAt: this.clock.now(),
    });
    this.audit.record({
      action: 'token.revoked',
      outcome: 'success',
      clientId: caller.clientId,
      organizationId,
      targetType: 'access_token',
      targetId: jti,
      sourceAddress: request.context.sourceAddress,
      requestId: request.context.requestId,
      details: { jti },
    });
  }
}
