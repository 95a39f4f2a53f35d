import jwt from 'jsonwebtoken';
import { BearerErrors } from './bearer-errors.js';

/** RFC 8725 section 3.3 and RFC 9068 section 4: a verifier allows a little clock skew and no more. */
export const CLOCK_TOLERANCE_SECONDS = 60;

/** The claims of a verified access token (RFC 9068 section 2.2, plus org_id). */
export interface VerifiedClaims {
  readonly iss: string;
  readonly sub: string | undefined;
  readonly aud: string | string[];
  readonly client_id: string;
  readonly org_id: string;
  readonly scope: string;
  readonly jti: string;
  readonly iat: number;
  readonly exp: number;
  readonly nbf: number | undefined;
}

/** The claims every access token of ours carries, typed; any missing or mistyped one refuses the token. */
export function requiredClaims(payload: jwt.JwtPayload): VerifiedClaims {
  const { iss, sub, aud, client_id: clientId, org_id: organizationId, scope, jti, exp, iat, nbf } = payload as Record<string, unknown>;
  if (
    typeof iss !== 'string' ||
    typeof iat !== 'number' ||
    typeof clientId !== 'string' ||
    typeof organizationId !== 'string' ||
    typeof scope !== 'string' ||
    typeof jti !== 'string' ||
    typeof exp !== 'number' ||
    (sub !== undefined && typeof sub !== 'string') ||
    (nbf !== undefined && typeof nbf !== 'number')
  ) {
    throw BearerErrors.invalidToken('The access token lacks required claims.');
  }
  // jwt.verify has checked aud against ours, so it is a string or an array of strings.
  return { iss, sub, aud: aud as string | string[], client_id: clientId, org_id: organizationId, scope, jti, iat, exp, nbf };
}

/** What jwt.verify's error means, in words fit for an RFC 6750 error_description. */
export function describeJwtError(error: unknown): string {
  if (error instanceof jwt.TokenExpiredError) return 'The access token has expired.';
  if (error instanceof jwt.NotBeforeError) return 'The access token is not valid yet.';
  if (error instanceof jwt.JsonWebTokenError) {
    if (error.message.startsWith('jwt issuer invalid')) return 'The access token was issued by another issuer.';
    if (error.message.startsWith('jwt audience invalid')) return 'The access token is meant for another audience.';
    if (error.message === 'invalid signature') return 'The access token signature is invalid.';
  }
  return 'The access token is invalid.';
}
