/** What replaces a secret in a log line. */
export const REDACTED = '[Redacted]';

/**
 * Names whose values never reach a log line, at any depth pino's `redact`
 * reaches: credentials in headers (RFC 6750 bearer tokens, RFC 7617 Basic
 * client secrets, cookies), the OAuth parameters that carry a client secret,
 * an assertion (RFC 7523) or a token (RFC 6749, 7009, 7662), and the client
 * secret of a sync connection, in either spelling.
 */
const SECRET_NAMES = [
  'authorization',
  'proxy-authorization',
  'cookie',
  'set-cookie',
  'client_secret',
  'clientSecret',
  'client_assertion',
  'clientAssertion',
  'assertion',
  'token',
  'access_token',
  'accessToken',
  'refresh_token',
  'refreshToken',
  'password',
  'secret',
];

/** How deep under a logged object a secret is looked for: `headers.authorization` sits under `req`. */
const MAX_DEPTH = 3;

/** pino `redact` paths: every secret name at the top of a line and up to MAX_DEPTH objects down. */
export function redactedPaths(): string[] {
  const paths: string[] = [];
  for (let depth = 0; depth <= MAX_DEPTH; depth++) {
    const prefix = '*.'.repeat(depth);
    for (const name of SECRET_NAMES) {
      paths.push(/^[A-Za-z_]\w*$/.test(name) ? `${prefix}${name}` : `${prefix.replace(/\.$/, '')}["${name}"]`);
    }
  }
  return paths;
}

/**
 * The fields of a log line that may carry an object: Nest Logger's `detail`
 * (pino-nest.logger.ts), and the usual names of a request's parts should a
 * call site ever log one. Every other field of orgsync's lines is built from
 * chosen scalars (the request line in fastify-request-log.ts) or has its own
 * serializer (`req`, `res`, `err` in root-logger.ts).
 */
const OBJECT_FIELDS = ['detail', 'body', 'headers', 'query', 'params', 'connection', 'config'];

/**
 * The `redact` paths of the server's own logger: a secret name at the top of a
 * line, and under each of OBJECT_FIELDS down to MAX_DEPTH. No path starts with
 * a wildcard: pino runs the redactor of a top-level key only when a line has
 * that key, so the per-request line (scalars only) pays nothing, where a
 * leading `*` would clone and walk every field of every line.
 */
export function anchoredRedactPaths(): string[] {
  const paths = SECRET_NAMES.map((name) => pathOf('', name));
  for (const field of OBJECT_FIELDS) {
    for (let depth = 0; depth < MAX_DEPTH; depth++) {
      const prefix = `${field}.${'*.'.repeat(depth)}`;
      for (const name of SECRET_NAMES) paths.push(pathOf(prefix, name));
    }
  }
  return paths;
}

/** `prefix` ends with a dot (or is empty); names that are not identifiers take the bracket form. */
function pathOf(prefix: string, name: string): string {
  return /^[A-Za-z_]\w*$/.test(name) ? `${prefix}${name}` : `${prefix.replace(/\.$/, '')}["${name}"]`;
}

/**
 * Secrets that may hide inside free text (an error message, a URL), by their
 * shape. A second line of defence: call sites should not put secrets into
 * messages in the first place.
 */
const TEXT_PATTERNS: ReadonlyArray<[RegExp, string]> = [
  // A JWT or JWS: access tokens, client assertions (RFC 7519 section 3, base64url JSON headers start with "eyJ").
  [/eyJ[A-Za-z0-9_-]*\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*/g, REDACTED],
  // orgsync's own client secrets carry a prefix (clients/client-credentials.ts).
  [/orgsync_cs_[A-Za-z0-9_-]+/g, REDACTED],
  // Credentials after an HTTP authentication scheme (RFC 9110 section 11.4).
  [/\b(Bearer|Basic|DPoP)\s+[A-Za-z0-9._~+/=-]+/gi, `$1 ${REDACTED}`],
  // The user information of a URL (RFC 3986 section 3.2.1): database and upstream URLs may carry a password.
  [/\b([a-z][a-z0-9+.-]*:\/\/)[^\s/?#@]*@/gi, `$1${REDACTED}@`],
  // name=value pairs of a form body or query string.
  [/\b(client_secret|client_assertion|assertion|access_token|refresh_token|token|password|secret)=[^&\s"']*/gi, `$1=${REDACTED}`],
];

/**
 * What every pattern above needs somewhere in the text: one pass that clears
 * most messages ("request completed", every request) without running the five.
 */
const MAY_HOLD_SECRET = /eyJ|orgsync_cs_|bearer|basic|dpop|:\/\/|=/i;

/** The text with anything shaped like a secret replaced. */
export function scrubSecrets(text: string): string {
  if (!MAY_HOLD_SECRET.test(text)) return text;
  let scrubbed = text;
  for (const [pattern, replacement] of TEXT_PATTERNS) scrubbed = scrubbed.replace(pattern, replacement);
  return scrubbed;
}
