/**
 * Defence in depth for the audit log: callers never put a secret, a token or
 * an assertion into an event's details, and if one ever does, this keeps it
 * out of the database. A key that names such a thing is redacted unless it
 * only describes one (its ID, hint, type, method or a time), and a value that
 * looks like a JWT is redacted wherever it appears.
 */
export const REDACTED = '[redacted]';

const SENSITIVE_KEY = /secret|token|assertion|password|passwd|authorization|cookie|credential|private_key|api_?key/i;
/** Names that describe a sensitive thing without holding it: `secret_id`, `token_type_hint`, `token_endpoint_auth_method`. */
const DESCRIPTIVE_KEY = /(_id|_ids|_hint|_type|_types|_method|_at|_before|_count|_kid|^jti)$|^(token_endpoint_auth_method)$/i;
/** A compact JWS or JWE (RFC 7515 section 7.1, RFC 7516 section 7.1): base64url segments starting with a JSON header. */
const JWT_LIKE = /\beyJ[\w-]{4,}\.[\w-]+\.[\w-]*/;
const MAX_STRING = 1000;
const MAX_DEPTH = 4;

export function sanitizeDetails(details: Readonly<Record<string, unknown>> | undefined): Record<string, unknown> {
  return details ? (sanitize(details, 0) as Record<string, unknown>) : {};
}

function sanitize(value: unknown, depth: number): unknown {
  if (typeof value === 'string') {
    // Every JWS/JWE header starts "eyJ": a plain includes() spares the regex on the strings of nearly every event.
    if (value.includes('eyJ') && JWT_LIKE.test(value)) return REDACTED;
    return value.length > MAX_STRING ? `${value.slice(0, MAX_STRING)}…` : value;
  }
  if (value === null || typeof value === 'number' || typeof value === 'boolean') return value;
  if (value instanceof Date) return value.toISOString();
  if (depth >= MAX_DEPTH) return REDACTED;
  if (Array.isArray(value)) return value.map((item) => sanitize(item, depth + 1));
  if (typeof value === 'object') {
    const sanitized: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value as Record<string, unknown>)) {
      if (item === undefined) continue;
      const clean = isSensitiveKey(key) ? REDACTED : sanitize(item, depth + 1);
      // defineProperty: a "__proto__" key stays an own key, as Object.fromEntries would make it, never a prototype.
      if (key === '__proto__')
        Object.defineProperty(sanitized, key, { value: clean, enumerable: true, writable: true, configurable: true });
      else sanitized[key] = clean;
    }
    return sanitized;
  }
  // Functions, symbols and bigints have no place in an audit record.
  return undefined;
}

/** Verdicts on keys seen before: detail keys are a small set written in code, tested on every event. */
const keyVerdicts = new Map<string, boolean>();
const MAX_KEY_VERDICTS = 512;

function isSensitiveKey(key: string): boolean {
  let sensitive = keyVerdicts.get(key);
  if (sensitive === undefined) {
    sensitive = SENSITIVE_KEY.test(key) && !DESCRIPTIVE_KEY.test(key);
    // Bounded: keys built from input (rare) must not grow it without limit; past the bound, keys are tested each time.
    if (keyVerdicts.size < MAX_KEY_VERDICTS) keyVerdicts.set(key, sensitive);
  }
  return sensitive;
}
