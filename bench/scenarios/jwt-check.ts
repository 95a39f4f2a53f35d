/** The header and claims of a compact JWS, unverified: the harness only checks what a server handed out. */
export function decodeJwt(token: string): { header: Record<string, unknown>; claims: Record<string, unknown> } | undefined {
  const parts = token.split('.');
  if (parts.length !== 3) return undefined;
  try {
    const [header, claims] = parts
      .slice(0, 2)
      .map((part) => JSON.parse(Buffer.from(part, 'base64url').toString('utf8')) as Record<string, unknown>);
    return { header: header!, claims: claims! };
  } catch {
    return undefined;
  }
}

/** Basic credentials as RFC 6749 section 2.3.1 builds them: form-urlencoded id and secret. */
export function basicAuthorization(clientId: string, clientSecret: string): string {
  const encode = (value: string): string => encodeURIComponent(value).replace(/%20/g, '+');
  return `Basic ${Buffer.from(`${encode(clientId)}:${encode(clientSecret)}`).toString('base64')}`;
}

export const TOKEN_REQUEST_BODY = 'grant_type=client_credentials';
export const FORM_CONTENT_TYPE = 'application/x-www-form-urlencoded';
