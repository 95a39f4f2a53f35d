/** RFC 6749 section 5.2 error codes (and server_error, from section 4.1.2.1, for the unexpected). */
export const OAUTH_ERROR_CODES = [
  'invalid_request',
  'invalid_client',
  'invalid_grant',
  'unauthorized_client',
  'unsupported_grant_type',
  'invalid_scope',
  'server_error',
  // Not an RFC 6749 code: RFC 6749 has none for rate limits. Sent with 429 and Retry-After (RFC 6585 section 4).
  'too_many_requests',
] as const;

export type OAuthErrorCode = (typeof OAUTH_ERROR_CODES)[number];

/**
 * An error of the OAuth endpoints, rendered as RFC 6749 section 5.2 JSON by
 * OAuthErrorFilter. Descriptions are written for the client developer and
 * never carry secrets, tokens or internals.
 */
export class OAuthError extends Error {
  override readonly name = 'OAuthError';

  private constructor(
    readonly error: OAuthErrorCode,
    readonly description: string,
    readonly status: number,
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(description);
  }

  static invalidRequest(description: string, headers: Record<string, string> = {}): OAuthError {
    return new OAuthError('invalid_request', description, 400, headers);
  }

  /**
   * Section 5.2: 401, with a WWW-Authenticate challenge for the scheme the client
   * used; RFC 7235 section 3.1 asks for a challenge on every 401, so Basic is
   * offered also when the client tried another method.
   */
  static invalidClient(description = 'Client authentication failed.'): OAuthError {
    return new OAuthError('invalid_client', description, 401, { 'www-authenticate': 'Basic realm="orgsync"' });
  }

  static unauthorizedClient(description: string): OAuthError {
    return new OAuthError('unauthorized_client', description, 400);
  }

  /**
   * An authenticated client that lacks a permission the endpoint requires (the
   * introspection permission of RFC 7662 section 2.1): 403, because its
   * credentials are fine and retrying with them cannot help.
   */
  static clientNotPermitted(description: string): OAuthError {
    return new OAuthError('unauthorized_client', description, 403);
  }

  static unsupportedGrantType(description: string): OAuthError {
    return new OAuthError('unsupported_grant_type', description, 400);
  }

  static invalidScope(description: string): OAuthError {
    return new OAuthError('invalid_scope', description, 400);
  }

  /**
   * RFC 6585 section 4: 429 with Retry-After (seconds). RFC 6749 defines no error code for an
   * abuse limit, so the body names it plainly and keeps the section 5.2 shape clients already parse.
   */
  static tooManyRequests(retryAfterSeconds: number): OAuthError {
    return new OAuthError('too_many_requests', 'Too many requests; retry after the time given in Retry-After.', 429, {
      'retry-after': String(retryAfterSeconds),
    });
  }

  static serverError(): OAuthError {
    return new OAuthError('server_error', 'The authorization server encountered an unexpected condition.', 500);
  }
}
