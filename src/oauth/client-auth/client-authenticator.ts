import { Injectable } from '@nestjs/common';
import { Clock } from '../../common/clock.js';
import { type ClientAuthRecord, ClientDirectory } from '../../clients/client-directory.js';
import { ClientSecretHasher } from '../../clients/client-secret-hasher.js';
import { SecretUsageRecorder } from '../../clients/secrets/secret-usage.recorder.js';
import { OAuthError } from '../errors/oauth-error.js';
import { OAuthRateLimits } from '../rate-limit/oauth-rate-limits.js';
import { ClientAssertionVerifier } from './client-assertion.verifier.js';
import type { OAuthRequestContext } from './oauth-form.js';
import type { ClientAuthenticationRequest, PresentedClientAuthentication } from './presented-client-authentication.js';

/** Longer than any client ID this server issues or accepts at bootstrap. */
const MAX_CLIENT_ID_LENGTH = 128;
const MAX_CLIENT_SECRET_LENGTH = 512;

/** Stands in for the stored hash of an unknown client, so that a miss costs what a wrong secret costs. */
const DECOY_SECRET = { id: '', hashAlg: 'hmac-sha256', hash: Buffer.alloc(32).toString('base64url'), expiresAt: null };

/**
 * RFC 6749 section 2.3: authenticates the client of a request to the token,
 * introspection or revocation endpoint, in named steps: the abuse limits of
 * the client ID at this address, then the credential (a secret, or a
 * private_key_jwt assertion), then the client's own request budget. Every
 * failure (unknown client, wrong, expired or revoked secret, bad assertion,
 * disabled client, deleted organization) is the same invalid_client, computed
 * with the same work, so the answer reveals nothing about which IDs exist.
 */
@Injectable()
export class ClientAuthenticator {
  constructor(
    private readonly directory: ClientDirectory,
    private readonly hasher: ClientSecretHasher,
    private readonly assertions: ClientAssertionVerifier,
    private readonly limits: OAuthRateLimits,
    private readonly secretUsage: SecretUsageRecorder,
    private readonly clock: Clock,
  ) {}

  async authenticate(request: ClientAuthenticationRequest, context: OAuthRequestContext): Promise<ClientAuthRecord> {
    const credentials = request.credentials;
    if (!credentials) {
      throw OAuthError.invalidClient(
        request.unauthenticatedClientId === undefined
          ? 'Client authentication is required (client_secret_basic, client_secret_post or private_key_jwt).'
          : 'Client authentication failed: public clients are not supported, send the client secret or a client assertion.',
      );
    }
    const claimedClientId = claimedClientIdOf(credentials);
    await this.limits.beforeAuthentication(claimedClientId, context);
    let client: ClientAuthRecord;
    try {
      client = await this.verifyCredentials(credentials);
    } catch (error) {
      if (error instanceof OAuthError && error.error === 'invalid_client') await this.limits.authenticationFailed(claimedClientId, context);
      throw error;
    }
    await this.limits.authenticated(client.clientId);
    return client;
  }

  private async verifyCredentials(credentials: PresentedClientAuthentication): Promise<ClientAuthRecord> {
    if (credentials.method === 'private_key_jwt') return this.assertions.verify(credentials);
    if (credentials.clientId.length > MAX_CLIENT_ID_LENGTH || credentials.clientSecret.length > MAX_CLIENT_SECRET_LENGTH) {
      throw OAuthError.invalidClient();
    }
    const client = await this.directory.find(credentials.clientId);
    const digest = this.hasher.digest(credentials.clientSecret);
    const now = this.clock.now().getTime();
    let matchedSecretId: string | undefined;
    for (const secret of client?.secrets ?? [DECOY_SECRET]) {
      // No early exit: every stored secret is compared.
      const live = secret.expiresAt === null || secret.expiresAt > now;
      if (this.hasher.matches(digest, secret) && live) matchedSecretId = secret.id;
    }
    if (!client || matchedSecretId === undefined || !client.usable) throw OAuthError.invalidClient();
    if (client.tokenEndpointAuthMethod !== credentials.method) {
      throw OAuthError.invalidClient(`This client must authenticate with ${client.tokenEndpointAuthMethod}, not ${credentials.method}.`);
    }
    this.secretUsage.recordUse(matchedSecretId);
    return client;
  }
}

/** The client ID a request claims, before it is proven: the key for per-client abuse limits. */
function claimedClientIdOf(credentials: PresentedClientAuthentication): string | undefined {
  if (credentials.method !== 'private_key_jwt') return credentials.clientId;
  return credentials.clientId ?? ClientAssertionVerifier.claimedClientId(credentials.assertion);
}
