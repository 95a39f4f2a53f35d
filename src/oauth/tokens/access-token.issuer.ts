import { Injectable } from '@nestjs/common';
import { AppConfig } from '../../config/app-config.js';
import { Clock } from '../../common/clock.js';
import { SigningKeysService } from '../keys/signing-keys.service.js';
import { JwsSigningThread } from './jws-signing-thread.js';
import { newTokenId } from './token-id.js';

export interface AccessTokenSubject {
  readonly clientId: string;
  readonly organizationId: string;
  readonly scopes: readonly string[];
  readonly ttlSeconds: number;
}

export interface IssuedAccessToken {
  readonly accessToken: string;
  /** The token's jti: what the audit log and revocation know it by. */
  readonly tokenId: string;
  readonly expiresIn: number;
  readonly scope: string;
}

/** The claims of an orgsync access token (RFC 9068 section 2.2, plus org_id). */
export interface AccessTokenClaims {
  iss: string;
  sub: string;
  aud: string;
  client_id: string;
  org_id: string;
  scope: string;
  jti: string;
  iat: number;
  exp: number;
}

/** Signs RFC 9068 JWT access tokens; nothing about them is stored. */
@Injectable()
export class AccessTokenIssuer {
  constructor(
    private readonly keys: SigningKeysService,
    private readonly config: AppConfig,
    private readonly clock: Clock,
    private readonly signer: JwsSigningThread,
  ) {}

  async issue(subject: AccessTokenSubject): Promise<IssuedAccessToken> {
    const key = await this.keys.signingKey();
    const iat = this.clock.nowSeconds();
    const scope = subject.scopes.join(' ');
    const tokenId = newTokenId();
    const claims: AccessTokenClaims = {
      iss: this.config.oauth.issuer,
      // Section 2.2: with no resource owner, sub identifies the client itself.
      sub: subject.clientId,
      aud: this.config.oauth.audience,
      client_id: subject.clientId,
      org_id: subject.organizationId,
      scope,
      jti: tokenId,
      iat,
      exp: iat + subject.ttlSeconds,
    };
    // Section 2.1: typ "at+jwt" keeps access tokens from being confused with other JWTs.
    const accessToken = await this.signer.sign({ alg: key.alg, typ: 'at+jwt', kid: key.kid }, claims, key.privateKey);
    return { accessToken, tokenId, expiresIn: subject.ttlSeconds, scope };
  }
}
