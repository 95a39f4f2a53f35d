import type { Scope } from '../common/scopes.js';

/** Who is calling: established from a verified access token, never from the request path or query. */
export interface Principal {
  readonly clientId: string;
  readonly organizationId: string;
  readonly scopes: ReadonlySet<Scope>;
  readonly tokenId: string;
  readonly expiresAt: number;
}
