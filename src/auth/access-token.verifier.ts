import type { KeyObject } from 'node:crypto';
import { HttpProblem } from '../common/http/problem.js';
import { Injectable } from '@nestjs/common';
import jwt from 'jsonwebtoken';
import { AppConfig } from '../config/app-config.js';
import { type ClientAuthRecord, ClientDirectory } from '../clients/client-directory.js';
import { Clock } from '../common/clock.js';
import { isKnownScope, type Scope } from '../common/scopes.js';
import { SigningKeysService } from '../oauth/keys/signing-keys.service.js';
import { RevocationList } from '../oauth/revocation/revocation-list.js';
import { issuedAtMs } from '../oauth/tokens/token-id.js';
import { BearerErrors } from './bearer-errors.js';
import type { Principal } from './principal.js';
import { CLOCK_TOLERANCE_SECONDS, describeJwtError, requiredClaims, type VerifiedClaims } from './verified-claims.js';
import { VerifiedTokenCache } from './verified-token.cache.js';

export type { VerifiedClaims } from './verified-claims.js';

/** Far above any token this server issues; refuses absurd input before parsing it. */
const MAX_TOKEN_LENGTH = 4096;
const JWT_SHAPE = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;

/** A token that passed every check, with the client it was issued to, as of now. */
export interface VerifiedAccessToken {
  readonly claims: VerifiedClaims;
  readonly client: ClientAuthRecord;
  /** The token's scopes that the client still holds, in the token's order. */
  readonly scopes: readonly Scope[];
}

/**
 * Validates an access token as RFC 9068 section 4 requires: the key is chosen
 * by kid among our own published keys and the algorithm is the key's own (never
 * `none`, never HS*: RFC 8725 section 3.1); typ must be at+jwt; iss, aud, exp
 * and nbf are checked; the token must not be revoked (RFC 7009); and the client
 * must still be usable at this moment.
 */
@Injectable()
export class AccessTokenVerifier {
  /** Tokens whose signature was checked already (verified-token.cache.ts says what is and is not cached). */
  private readonly verified: VerifiedTokenCache;

  constructor(
    private readonly keys: SigningKeysService,
    private readonly clients: ClientDirectory,
    private readonly revocations: RevocationList,
    private readonly config: AppConfig,
    private readonly clock: Clock,
  ) {
    this.verified = new VerifiedTokenCache(clock);
  }

  /** The bearer guard's check: the caller behind a token, or an RFC 6750 invalid_token. */
  verify(token: string): Promise<Principal> {
    return this.verifyTokenOrThrow(token).then(principalOf);
  }

  /**
   * Every check the bearer guard makes, returning what introspection reports
   * (RFC 7662 section 2.2) and revocation needs; throws BearerErrors.invalidToken.
   */
  verifyToken(token: string): Promise<VerifiedAccessToken> {
    // Not async: verifyTokenOrThrow's own promise (rejected, never thrown) is the answer; a wrapper would add ticks per request.
    return this.verifyTokenOrThrow(token);
  }

  /**
   * The same check, for endpoints where an unacceptable token is an answer, not an
   * error (RFC 7662 section 2.2 inactive, RFC 7009 section 2.2 nothing to revoke):
   * undefined for any reason the bearer guard would refuse it; other failures still throw.
   */
  async verifyTokenIfValid(token: string): Promise<VerifiedAccessToken | undefined> {
    try {
      return await this.verifyTokenOrThrow(token);
    } catch (error) {
      if (error instanceof HttpProblem) return undefined;
      throw error;
    }
  }

  /**
   * Chained promises, not async functions: every bearer call runs this, and each
   * await would add promises (each one a trip through the request context's
   * async hooks). Nothing before the first promise can throw, so a refusal is
   * always a rejection.
   */
  private verifyTokenOrThrow(token: string): Promise<VerifiedAccessToken> {
    const claims = this.verified.get(token);
    if (claims !== undefined) return this.withCurrentState(claims);
    return this.verifySignedClaims(token).then((verified) => this.withCurrentState(verified));
  }

  /** What can change while a token lives, checked on every call, cached claims or not. */
  private withCurrentState(claims: VerifiedClaims): Promise<VerifiedAccessToken> {
    // RFC 7009 section 2: a revoked token is refused from then on; the list is in memory, no query per call.
    if (this.revocations.isRevoked(claims.jti)) return Promise.reject(BearerErrors.invalidToken('The access token has been revoked.'));
    return this.clients.find(claims.client_id).then((client) => {
      const live = liveClientOf(client, claims);
      // Scopes taken away from the client leave its outstanding tokens at once (least privilege).
      const scopes = claims.scope.split(' ').filter((s): s is Scope => isKnownScope(s) && live.allowedScopes.has(s));
      return { claims, client: live, scopes };
    });
  }

  /** The checks that depend on the token alone; their result is cached for the token's lifetime. */
  private async verifySignedClaims(token: string): Promise<VerifiedClaims> {
    if (token.length > MAX_TOKEN_LENGTH || !JWT_SHAPE.test(token)) throw BearerErrors.invalidToken('The access token is malformed.');
    const header = decodeHeader(token);
    const key = typeof header.kid === 'string' ? await this.keys.verificationKey(header.kid) : undefined;
    if (!key || header.alg !== key.alg) throw BearerErrors.invalidToken('The access token was not signed by this server.');
    if (typeof header.typ !== 'string' || !/^(application\/)?at\+jwt$/i.test(header.typ)) {
      throw BearerErrors.invalidToken('The token is not an access token (typ must be at+jwt).');
    }
    const claims = requiredClaims(this.verifySignatureAndClaims(token, key.publicKey, key.alg));
    this.verified.remember(token, claims);
    return claims;
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
}

/** The client of a token, if it may still use it: a disabled or deleted client, or one whose organization is gone, loses its tokens at once. */
function liveClientOf(client: ClientAuthRecord | null, claims: VerifiedClaims): ClientAuthRecord {
  if (
    !client ||
    !client.usable ||
    client.organizationId !== claims.org_id ||
    (client.tokensRevokedBefore !== null && issuedAtMs(claims.jti, claims.iat) <= client.tokensRevokedBefore)
  ) {
    throw BearerErrors.invalidToken('The access token is no longer valid.');
  }
  return client;
}

function principalOf({ claims, scopes }: VerifiedAccessToken): Principal {
  return {
    clientId: claims.client_id,
    organizationId: claims.org_id,
    scopes: new Set(scopes),
    tokenId: claims.jti,
    expiresAt: claims.exp,
  };
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
