/** An RFC 6749 section 5.2 error response from the token endpoint. */
export class OAuthError extends Error {
  constructor(
    readonly status: number,
    readonly error: string,
    readonly description: string,
  ) {
    super(description);
  }

  static invalidRequest(description: string): OAuthError {
    return new OAuthError(400, 'invalid_request', description);
  }

  /** 401: RFC 6749 section 5.2 has the WWW-Authenticate challenge added when the client used the Authorization header. */
  static invalidClient(): OAuthError {
    return new OAuthError(401, 'invalid_client', 'Client authentication failed.');
  }

  static unsupportedGrantType(grantType: string): OAuthError {
    return new OAuthError(400, 'unsupported_grant_type', `The grant type ${grantType} is not supported; use client_credentials.`);
  }

  static invalidScope(scope: string): OAuthError {
    return new OAuthError(400, 'invalid_scope', `The scope ${scope} is not one this client may be granted.`);
  }

  /** RFC 8707 section 2: the resource indicator is missing, unknown or malformed. */
  static invalidTarget(description: string): OAuthError {
    return new OAuthError(400, 'invalid_target', description);
  }

  toJSON(): Record<string, string> {
    return { error: this.error, error_description: this.description };
  }
}
