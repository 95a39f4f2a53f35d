import { Injectable } from '@nestjs/common';
import { Clock } from '../../common/clock.js';
import { type ClientAuthRecord, ClientDirectory } from '../../clients/client-directory.js';
import { ClientSecretHasher } from '../../clients/client-secret-hasher.js';
import { OAuthError } from '../errors/oauth-error.js';
import type { TokenRequest } from './token-request.js';

/** Longer than any client ID this server issues or accepts at bootstrap. */
const MAX_CLIENT_ID_LENGTH = 128;
const MAX_CLIENT_SECRET_LENGTH = 512;

/** Stands in for the stored hash of an unknown client, so that a miss costs what a wrong secret costs. */
const DECOY_SECRET = { hashAlg: 'hmac-sha256', hash: Buffer.alloc(32).toString('base64url'), expiresAt: null };

/**
 * RFC 6749 section 2.3: authenticates the client of a token request. Every
 * failure (unknown client, wrong or expired secret, disabled client, deleted
 * organization) is the same invalid_client, computed with the same work, so
 * the answer reveals nothing about which client IDs exist.
 */
@Injectable()
export class ClientAuthenticator {
  constructor(
    private readonly directory: ClientDirectory,
    private readonly hasher: ClientSecretHasher,
    private readonly clock: Clock,
  ) {}

  async authenticate(request: TokenRequest): Promise<ClientAuthRecord> {
    const credentials = request.credentials;
    if (!credentials) {
      throw OAuthError.invalidClient(
        request.unauthenticatedClientId === undefined
          ? 'Client authentication is required (client_secret_basic or client_secret_post).'
          : 'Client authentication failed: public clients are not supported, send the client secret.',
      );
    }
    if (credentials.clientId.length > MAX_CLIENT_ID_LENGTH || credentials.clientSecret.length > MAX_CLIENT_SECRET_LENGTH) {
      throw OAuthError.invalidClient();
    }
    const client = await this.directory.find(credentials.clientId);
    const digest = this.hasher.digest(credentials.clientSecret);
    const now = this.clock.now().getTime();
    let matched = false;
    for (const secret of client?.secrets ?? [DECOY_SECRET]) {
      // No early exit: every stored secret is compared.
      const live = secret.expiresAt === null || secret.expiresAt > now;
      matched = (this.hasher.matches(digest, secret) && live) || matched;
    }
    if (!client || !matched || !client.usable) throw OAuthError.invalidClient();
    if (client.tokenEndpointAuthMethod !== credentials.method) {
      throw OAuthError.invalidClient(`This client must authenticate with ${client.tokenEndpointAuthMethod}, not ${credentials.method}.`);
    }
    return client;
  }
}
