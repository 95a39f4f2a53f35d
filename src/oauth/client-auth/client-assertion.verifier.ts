import { Injectable } from '@nestjs/common';
import type { JWTPayload, JWTVerifyGetKey } from 'jose';
import { Clock } from '../../common/clock.js';
import { type ClientAuthRecord, ClientDirectory } from '../../clients/client-directory.js';
import { AppConfig } from '../../config/app-config.js';
import { OAuthError } from '../errors/oauth-error.js';
import { TOKEN_PATH } from '../oauth-paths.js';
import {
  algorithmProblem,
  ASSERTION_CLOCK_TOLERANCE_SECONDS,
  ASSERTION_SIGNING_ALGORITHMS,
  assertedClientId,
  describeVerificationFailure,
  lifetimeProblem,
  peekAssertionClaims,
} from './assertion-rules.js';
import { ClientJwks } from './client-jwks.js';
import type { PresentedClientAuthentication } from './presented-client-authentication.js';
import { UsedAssertionsRepository } from './used-assertions.repository.js';

type AssertionCredentials = Extract<PresentedClientAuthentication, { method: 'private_key_jwt' }>;

/**
 * jose's verification (JWS, key import, claim checks) is loaded on the first
 * assertion, not at start-up, where it only added to the time to ready
 * (--cpu-prof); the one import is shared by every later assertion.
 */
let joseVerify: Promise<typeof import('jose/jwt/verify')> | undefined;
const jwtVerifyModule = () => (joseVerify ??= import('jose/jwt/verify'));

/**
 * RFC 7523 sections 2.2 and 3: verifies a private_key_jwt client assertion, in
 * order: its shape and its iss/sub, the client, the signature with the client's
 * registered keys and the audience and times, the registered method, then the
 * jti's single use. Every failure is invalid_client; the description says what
 * to fix and never repeats the assertion.
 */
@Injectable()
export class ClientAssertionVerifier {
  /**
   * Section 3, item 3: "the JWT MUST contain an aud claim containing a value
   * that identifies the authorization server", which may be the token endpoint
   * URL. The issuer or the token endpoint URL, also at introspection and
   * revocation, since a client has one assertion recipe for this server.
   */
  private readonly audiences: string[];

  constructor(
    private readonly directory: ClientDirectory,
    private readonly jwks: ClientJwks,
    private readonly usedAssertions: UsedAssertionsRepository,
    private readonly clock: Clock,
    config: AppConfig,
  ) {
    this.audiences = [config.oauth.issuer, `${config.oauth.issuer}/${TOKEN_PATH}`];
  }

  /** The client the assertion claims to come from (its `sub`), unverified: only a rate-limit key. */
  static claimedClientId(assertion: string): string | undefined {
    const sub = peekAssertionClaims(assertion)?.sub;
    return typeof sub === 'string' ? sub : undefined;
  }

  async verify(credentials: AssertionCredentials): Promise<ClientAuthRecord> {
    const claims = peekAssertionClaims(credentials.assertion);
    if (!claims) throw OAuthError.invalidClient('The client assertion is not a well-formed signed JWT.');
    const algProblem = algorithmProblem(credentials.assertion);
    if (algProblem) throw OAuthError.invalidClient(algProblem);
    const asserted = assertedClientId(claims, credentials.clientId);
    if ('problem' in asserted) throw OAuthError.invalidClient(asserted.problem);
    const client = await this.directory.find(asserted.clientId);
    const keys = client?.usable ? this.jwks.keysOf(client) : undefined;
    // Unknown, disabled, or without keys: the same answer, so that no client ID is revealed.
    if (!client || !keys) throw OAuthError.invalidClient();
    const payload = await this.verifySignature(credentials.assertion, client.clientId, keys);
    // As with a secret, the registered method is named only to a client that proved who it is.
    if (client.tokenEndpointAuthMethod !== 'private_key_jwt') {
      throw OAuthError.invalidClient(`This client must authenticate with ${client.tokenEndpointAuthMethod}, not private_key_jwt.`);
    }
    await this.useOnce(client.clientId, payload);
    return client;
  }

  private async verifySignature(assertion: string, clientId: string, keys: JWTVerifyGetKey): Promise<JWTPayload> {
    const { jwtVerify } = await jwtVerifyModule();
    const now = this.clock.now();
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(assertion, keys, {
        algorithms: [...ASSERTION_SIGNING_ALGORITHMS],
        issuer: clientId,
        subject: clientId,
        audience: this.audiences,
        requiredClaims: ['exp', 'jti'],
        clockTolerance: ASSERTION_CLOCK_TOLERANCE_SECONDS,
        currentDate: now,
      }));
    } catch (error) {
      throw OAuthError.invalidClient(describeVerificationFailure(error));
    }
    const problem = lifetimeProblem(payload, Math.floor(now.getTime() / 1000));
    if (problem) throw OAuthError.invalidClient(problem);
    return payload;
  }

  /**
   * Section 3, item 7: the jti is recorded until the assertion can no longer
   * pass its exp check (exp plus the leeway), on the database every replica
   * shares, so a replay is refused wherever it lands.
   */
  private async useOnce(clientId: string, payload: JWTPayload): Promise<void> {
    const expiresAt = new Date((payload.exp! + ASSERTION_CLOCK_TOLERANCE_SECONDS) * 1000);
    if (!(await this.usedAssertions.recordFirstUse(clientId, payload.jti!, expiresAt))) {
      throw OAuthError.invalidClient('The client assertion was already used (assertion replay); send a new one with a fresh jti.');
    }
  }
}
