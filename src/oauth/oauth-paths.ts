/** The OAuth endpoints that take application/x-www-form-urlencoded bodies and answer with RFC 6749 errors. */
export const TOKEN_PATH = 'oauth/token';
/** RFC 7662. */
export const INTROSPECTION_PATH = 'oauth/introspect';
/** RFC 7009. */
export const REVOCATION_PATH = 'oauth/revoke';

export const OAUTH_FORM_PATHS = [TOKEN_PATH, INTROSPECTION_PATH, REVOCATION_PATH] as const;
