import type { TokenAuthMethod } from '../upstream-stats.js';
import { OAuthError } from './oauth-error.js';

/** A token request as read off the wire, before anything is checked. */
export interface TokenRequest {
  readonly authMethod: TokenAuthMethod;
  readonly clientId: string | undefined;
  readonly clientSecret: string | undefined;
  readonly grantType: string | undefined;
  readonly scope: string | undefined;
  readonly resource: string | undefined;
}

/**
 * RFC 6749 section 3.2: POST with an application/x-www-form-urlencoded body;
 * parameters sent without a value are treated as omitted, and none may be
 * repeated. Section 2.3.1: the client authenticates with HTTP Basic or with
 * client_id and client_secret in the body, and "MUST NOT use more than one
 * authentication method in each request".
 */
export function readTokenRequest(contentType: string | undefined, body: unknown, authorization: string | undefined): TokenRequest {
  if (contentType?.split(';', 1)[0]?.trim().toLowerCase() !== 'application/x-www-form-urlencoded' || typeof body !== 'string') {
    throw OAuthError.invalidRequest('The token request must have an application/x-www-form-urlencoded body.');
  }
  const params = new URLSearchParams(body);
  const basic = readBasicCredentials(authorization);
  const bodySecret = single(params, 'client_secret');
  if (basic && bodySecret !== undefined) throw OAuthError.invalidRequest('The client used more than one authentication method.');
  const common = { grantType: single(params, 'grant_type'), scope: single(params, 'scope'), resource: single(params, 'resource') };
  if (basic) return { authMethod: 'client_secret_basic', ...basic, ...common };
  const clientId = single(params, 'client_id');
  return { authMethod: bodySecret === undefined ? 'none' : 'client_secret_post', clientId, clientSecret: bodySecret, ...common };
}

function single(params: URLSearchParams, name: string): string | undefined {
  const values = params.getAll(name).filter((value) => value !== '');
  if (values.length > 1) throw OAuthError.invalidRequest(`The ${name} parameter is included more than once.`);
  return values[0];
}

/**
 * RFC 6749 section 2.3.1 and Appendix B: the client ID and secret are each
 * form-urlencoded, then joined with ":" and base64-encoded (RFC 7617).
 */
function readBasicCredentials(header: string | undefined): { clientId: string; clientSecret: string } | undefined {
  const match = /^Basic\s+([A-Za-z0-9+/]+={0,2})\s*$/i.exec(header ?? '');
  if (!match) {
    if (header !== undefined && /^Basic\b/i.test(header)) throw OAuthError.invalidRequest('Malformed Basic credentials.');
    return undefined;
  }
  const decoded = Buffer.from(match[1] as string, 'base64').toString('utf8');
  const separator = decoded.indexOf(':');
  if (separator === -1) throw OAuthError.invalidRequest('Malformed Basic credentials.');
  return { clientId: formDecode(decoded.slice(0, separator)), clientSecret: formDecode(decoded.slice(separator + 1)) };
}

function formDecode(value: string): string {
  try {
    return decodeURIComponent(value.replaceAll('+', ' '));
  } catch {
    throw OAuthError.invalidRequest('Malformed percent-encoding in the Basic credentials.');
  }
}
