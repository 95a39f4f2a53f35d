import { Injectable } from '@nestjs/common';
import type { ClientAuthRecord } from '../../clients/client-directory.js';
import { OAuthError } from '../errors/oauth-error.js';
import type { PresentedClientAuthentication } from './presented-client-authentication.js';

type AssertionCredentials = Extract<PresentedClientAuthentication, { method: 'private_key_jwt' }>;

/**
 * RFC 7523 section 2.2 and 3: verifies a private_key_jwt client assertion.
 * PLACEHOLDER: implemented in the private_key_jwt work; until then every assertion is refused.
 */
@Injectable()
export class ClientAssertionVerifier {
  /** The client the assertion claims to come from (its `sub`), unverified: only a rate-limit key. */
  static claimedClientId(_assertion: string): string | undefined {
    return undefined;
  }

  verify(_credentials: AssertionCredentials): Promise<ClientAuthRecord> {
    return Promise.reject(OAuthError.invalidClient('Client assertions (private_key_jwt) are not supported yet.'));
  }
}
