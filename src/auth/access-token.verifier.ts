import type { KeyObject } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import jwt from 'jsonwebtoken';
import { AppConfig } from '../config/app-config.js';
import { ClientDirectory } from '../clients/client-directory.js';
import { Clock } from '../common/clock.js';
import { isKnownScope, type Scope } from '../common/scopes.js';
import { SigningKeysService } from '../oauth/keys/signing-keys.service.js';
import { issuedAtMs } from '../oauth/tokens/token-id.js';
import { BearerErrors } from './bearer-errors.js';
import type { Principal } from './principal.js';

/** RFC 8725 section 3.3 and RFC 9068 section 4: a verifier allows a little clock skew and no more. */
const CLOCK_TOLERANCE_SECONDS = 60;
/** Far above any token this server issues; refuses absurd input before parsing it. */
const MAX_TOKEN_LENGTH = 4096;
const JWT_SHAPE = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;

/**
 * Validates an access token as RFC 9068 section 4 requires: the key is chosen
 * by kid among our own published keys and the algorithm is the key's own (never
 * `none`, never HS*: RFC 8725 section 3.1); typ must be at+jwt; iss, aud, exp
 * and nbf are checked; and the client must still be usable at this moment.
 */
@Injectable()
export class AccessTokenVerifier {
  constructor(
    private readonly keys: SigningKeysService,
    private readonly clients: ClientDirectory,
    private readonly config: AppConfig,
    private readonly clock: Clock,
  ) {}

  async verify(token: string): Promise<Principal> {
    if (token.length > MAX_TOKEN_LENGTH || !JWT_SHAPE.test(token)) throw BearerErrors.invalidToken('The access token is malformed.');
    const header = decodeHeader(token);
    const key = typeof header.kid === 'string' ? await this.keys.verificationKey(header.kid) : undefined;
    if (!key || header.alg !== key.alg) throw BearerErrors.invalidToken('The access token was not signed by this server.');
    if (typeof header.typ !== 'string' || !/^(application\/)?at\+jwt$/i.test(header.typ)) {
      throw BearerErrors.invalidToken('The token is not an access token (typ must be at+jwt).');
    }
    const claims = this.verifySignatureAndClaims(token, key.publicKey, key.alg);
    return this.principalFor(claims);
  }

  private verifySignatureAndClaims(token: string, publicKey: KeyObject, alg: jwt.Algorithm): jwt.JwtPayload {
    try {
      const payload = jwt.verify(token, publicKey, {
        algorithms: [alg],
        issuer: this.config.oauth.issuer,
        audience: this.config.oauth.audience,
        clockTolerance: CLOCK_TOLERANCE_SECONDS,
        clockTimestamp: this.clock.nowSeconds(),
      });
      if (typeof payload === 'string') throw new jwt.JsonWebTokenError('payload is not a JSON object');
      return payload;
    } catch (error) {
      throw BearerErrors.invalidToken(describeJwtError(error));
    }
  }

  private async principalFor(claims: jwt.JwtPayload): Promise<Principal> {
    const { client_id: clientId, org_id: organizationId, scope, jti, exp, iat } = claims as Record<string, unknown>;
    if (
      typeof iat !== 'number' ||
      typeof clientId !== 'string' ||
      typeof organizationId !== 'string' ||
      typeof scope !== 'string' ||
      typeof jti !== 'string' ||
      typeof exp !== 'number'
    ) {
      throw BearerErrors.invalidToken('The access token lacks required claims.');
    }
    const client = await this.clients.find(clientId);
    // A disabled or deleted client, or one whose organization is gone, loses its tokens at once.
    if (
      !client ||
      !client.usable ||
      client.organizationId !== organizationId ||
      (client.tokensRevokedBefore !== null && issuedAtMs(jti, iat) <= client.tokensRevokedBefore)
    ) {
      throw BearerErrors.invalidToken('The access token is no longer valid.');
    }
    // Scopes taken away from the client leave its outstanding tokens at once (least privilege).
    const scopes = new Set<Scope>(scope.split(' ').filter((s): s is Scope => isKnownScope(s) && client.allowedScopes.has(s)));
    return { clientId, organizationId, scopes, tokenId: jti, expiresAt: exp };
  }
}

function decodeHeader(token: string): Record<string, unknown> {
  try {
    const header: unknown = JSON.parse(Buffer.from(token.slice(0, token.indexOf('.')), 'base64url').toString('utf8'));
    if (header && typeof header === 'object' && !Array.isArray(header)) return header as Record<string, unknown>;
  } catch {
    // reported below
  }
  throw BearerErrors.invalidToken('The access token is malformed.');
}

function describeJwtError(error: unknown): string {
  if (error instanceof jwt.TokenExpiredError) return 'The access token has expired.';
  if (error instanceof jwt.NotBeforeError) return 'The access token is not valid yet.';
  if (error instanceof jwt.JsonWebTokenError) {
    if (error.message.startsWith('jwt issuer invalid')) return 'The access token was issued by another issuer.';
    if (error.message.startsWith('jwt audience invalid')) return 'The access token is meant for another audience.';
    if (error.message === 'invalid signature') return 'The access token signature is invalid.';
  }
  return 'The access token is invalid.';
}
