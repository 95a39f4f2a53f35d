import { OAuthError } from '../errors/oauth-error.js';

export interface ClientCredentials {
  readonly clientId: string;
  readonly clientSecret: string;
}

const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/**
 * RFC 6749 section 2.3.1: the client ID and secret are form-urlencoded
 * (Appendix B) before they are joined with ":" and base64-encoded (RFC 7617).
 * Returns undefined when the header does not use the Basic scheme.
 */
export function parseBasicAuthorization(header: string | undefined): ClientCredentials | undefined {
  if (header === undefined) return undefined;
  const match = /^Basic(?: +(.*))?$/i.exec(header.trim());
  if (!match) return undefined;
  const encoded = match[1]?.trim() ?? '';
  if (!BASE64.test(encoded) || encoded.length % 4 !== 0) {
    throw OAuthError.invalidRequest('The Authorization header is not valid Basic credentials.');
  }
  const decoded = decodeUtf8(Buffer.from(encoded, 'base64'));
  const separator = decoded.indexOf(':');
  if (separator === -1) throw OAuthError.invalidRequest('The Basic credentials lack the colon between client ID and secret.');
  const clientId = formDecode(decoded.slice(0, separator));
  const clientSecret = formDecode(decoded.slice(separator + 1));
  if (clientId === '') throw OAuthError.invalidRequest('The Basic credentials carry no client ID.');
  return { clientId, clientSecret };
}

const UTF8 = new TextDecoder('utf-8', { fatal: true });

/** RFC 7617 section 2.1: the credentials are UTF-8; other bytes are refused, not replaced with U+FFFD. */
function decodeUtf8(bytes: Buffer): string {
  try {
    return UTF8.decode(bytes);
  } catch {
    throw OAuthError.invalidRequest('The Basic credentials are not valid UTF-8.');
  }
}

function formDecode(value: string): string {
  // Most IDs and secrets (orgsync's are base64url) have nothing encoded.
  if (!value.includes('%') && !value.includes('+')) return value;
  try {
    return decodeURIComponent(value.replaceAll('+', ' '));
  } catch {
    throw OAuthError.invalidRequest('The Basic credentials have malformed percent-encoding.');
  }
}
