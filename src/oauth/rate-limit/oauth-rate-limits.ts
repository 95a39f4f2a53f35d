import { Injectable } from '@nestjs/common';
import type { OAuthRequestContext } from '../client-auth/oauth-form.js';

/**
 * Brute-force and abuse limits of the OAuth endpoints.
 * PLACEHOLDER: implemented in the rate-limit work; until then nothing is limited.
 */
@Injectable()
export class OAuthRateLimits {
  /** Refuses (429) a client ID that failed too often from this address. */
  async beforeAuthentication(_clientId: string | undefined, _context: OAuthRequestContext): Promise<void> {}

  /** Counts a failed authentication of the client ID from this address. */
  async authenticationFailed(_clientId: string | undefined, _context: OAuthRequestContext): Promise<void> {}

  /** Counts an authenticated request against the client's budget; refuses (429) past it. */
  async authenticated(_clientId: string): Promise<void> {}
}
