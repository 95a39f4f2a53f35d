export type TokenAuthMethod = 'client_secret_basic' | 'client_secret_post' | 'none';

/** One call to the token endpoint, as the upstream saw it. */
export interface TokenRequestRecord {
  readonly authMethod: TokenAuthMethod;
  readonly clientId: string | undefined;
  readonly grantType: string | undefined;
  readonly scope: string | undefined;
  readonly resource: string | undefined;
  /** "issued", or the RFC 6749 error code the request got (or "fault" when an injected fault answered). */
  readonly outcome: string;
}

/** One call to a SCIM endpoint. */
export interface ApiRequestRecord {
  readonly method: string;
  /** The path under the SCIM base URL, e.g. "/Users". */
  readonly path: string;
  /** The raw query string, without "?". */
  readonly query: string;
  /** The Authorization header as sent, or undefined. */
  readonly authorization: string | undefined;
}

/** What clients did, for tests to assert on (token reuse, request counts, paging). */
export class UpstreamStats {
  /** Every request to the token endpoint, successful or not. */
  tokenRequests = 0;
  tokensIssued = 0;
  readonly tokenRequestLog: TokenRequestRecord[] = [];
  /** SCIM requests per path under the base URL ("/Users", "/Groups", "/ServiceProviderConfig", "/Users/<id>"). */
  readonly apiRequests: Record<string, number> = {};
  readonly apiRequestLog: ApiRequestRecord[] = [];

  /** The Authorization header of every SCIM request, in order. */
  get authorizations(): (string | undefined)[] {
    return this.apiRequestLog.map((request) => request.authorization);
  }

  /** The distinct bearer tokens clients presented, in order of first use. */
  get bearerTokens(): string[] {
    const tokens = this.authorizations.flatMap((header) => /^Bearer\s+(\S+)$/i.exec(header ?? '')?.[1] ?? []);
    return [...new Set(tokens)];
  }

  get totalApiRequests(): number {
    return this.apiRequestLog.length;
  }

  recordApiRequest(request: ApiRequestRecord): void {
    this.apiRequests[request.path] = (this.apiRequests[request.path] ?? 0) + 1;
    this.apiRequestLog.push(request);
  }

  recordTokenRequest(request: TokenRequestRecord): void {
    this.tokenRequests += 1;
    if (request.outcome === 'issued') this.tokensIssued += 1;
    this.tokenRequestLog.push(request);
  }

  reset(): void {
    this.tokenRequests = 0;
    this.tokensIssued = 0;
    this.tokenRequestLog.length = 0;
    for (const path of Object.keys(this.apiRequests)) delete this.apiRequests[path];
    this.apiRequestLog.length = 0;
  }
}
