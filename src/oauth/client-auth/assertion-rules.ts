import type { JWTPayload } from 'jose';
// jose's subpaths, not its index: these three are a few small files, while the index loads all of
// jose (JWE, key import, remote key sets), which start-up does not need (client-jwks.ts loads that lazily).
import { decodeProtectedHeader } from 'jose/decode/protected_header';
import * as errors from 'jose/errors';
import { decodeJwt } from 'jose/jwt/decode';

/**
 * The rules of a private_key_jwt client assertion (RFC 7523 sections 2.2 and 3)
 * that need no key and no database: size, the claims read before verification,
 * the lifetime and jti checks after it, and how a verification failure is told
 * to the client. Pure, so that each rule has its unit test.
 */

/** Far above any real assertion (a few hundred bytes); the cap keeps decoding cheap for junk. */
export const MAX_ASSERTION_LENGTH = 8 * 1024;

/** Asymmetric algorithms only: never `none` and never HS*, whose key would be the client's public key. */
export const ASSERTION_SIGNING_ALGORITHMS = [
  'RS256',
  'RS384',
  'RS512',
  'PS256',
  'PS384',
  'PS512',
  'ES256',
  'ES384',
  'ES512',
  'EdDSA',
] as const;

/** An assertion proves possession now: it may not be valid for longer than this (RFC 7523 section 3, item 4). */
export const MAX_ASSERTION_LIFETIME_SECONDS = 300;
/** The leeway for exp, nbf and iat, as for our own access tokens. */
export const ASSERTION_CLOCK_TOLERANCE_SECONDS = 60;
/** The length of used_client_assertions.jti. */
export const MAX_JTI_LENGTH = 255;

/** The claims of an assertion, unverified; undefined when it is too long or not a JWT at all. */
export function peekAssertionClaims(assertion: string): JWTPayload | undefined {
  if (assertion.length > MAX_ASSERTION_LENGTH) return undefined;
  try {
    return decodeJwt(assertion);
  } catch {
    return undefined;
  }
}

/**
 * RFC 7523 section 3, item 2, and RFC 7521 section 4.2: for client
 * authentication, `iss` and `sub` are both the client ID, and a client_id
 * parameter sent beside the assertion names the same client. Returns the
 * client ID, or a description of what is wrong.
 */
export function assertedClientId(claims: JWTPayload, clientIdParameter: string | undefined): { clientId: string } | { problem: string } {
  const { iss, sub } = claims;
  if (typeof sub !== 'string' || sub === '') return { problem: 'The client assertion must have a sub claim: the client ID.' };
  if (iss !== sub) return { problem: 'The client assertion must have iss and sub both equal to the client ID.' };
  if (clientIdParameter !== undefined && clientIdParameter !== sub) {
    return { problem: 'The client_id parameter differs from the sub of the client assertion.' };
  }
  return { clientId: sub };
}

/**
 * After the signature, aud, exp and nbf verified: RFC 7523 section 3 item 4
 * lets the server limit how far ahead exp may be; item 7 makes jti the key
 * for single use; an iat in the future is a clock or a forgery.
 */
export function lifetimeProblem(claims: JWTPayload, nowSeconds: number): string | undefined {
  const { exp, iat, jti } = claims;
  if (typeof exp !== 'number') return 'The client assertion must have an exp claim.';
  if (exp - nowSeconds > MAX_ASSERTION_LIFETIME_SECONDS) {
    return `The client assertion's exp is more than ${MAX_ASSERTION_LIFETIME_SECONDS} seconds ahead; assertions must be short-lived.`;
  }
  if (iat !== undefined && (typeof iat !== 'number' || iat > nowSeconds + ASSERTION_CLOCK_TOLERANCE_SECONDS)) {
    return "The client assertion's iat is in the future.";
  }
  if (typeof jti !== 'string' || jti === '' || jti.length > MAX_JTI_LENGTH) {
    return `The client assertion must have a jti claim of 1 to ${MAX_JTI_LENGTH} characters.`;
  }
  return undefined;
}

/**
 * What a failure of jose's verification tells the client: precise enough to
 * fix the client, never the assertion itself or what our keys are. Anything
 * else (the client's jwks_uri unreachable, answering 500 or not JSON) is about
 * its keys, never a server error.
 */
export function describeVerificationFailure(error: unknown): string {
  // Claims are checked only once the signature verified: only the client's key holder reads these.
  if (error instanceof errors.JWTExpired) return 'The client assertion has expired.';
  if (error instanceof errors.JWTClaimValidationFailed) return describeClaimFailure(error);
  if (error instanceof errors.JOSEAlgNotAllowed || error instanceof errors.JOSENotSupported) return ALG_NOT_ACCEPTED;
  if (error instanceof errors.JWSInvalid || error instanceof errors.JWTInvalid)
    return 'The client assertion is not a well-formed signed JWT.';
  // A bad signature, no matching key or an unreachable jwks_uri: said the way an unknown client is
  // (RFC 6749 section 2.3 / RFC 7521 section 4.2.1), so the answer reveals no registered client ID.
  return 'Client authentication failed.';
}

const ALG_NOT_ACCEPTED = `The client assertion's alg is not accepted; use one of ${ASSERTION_SIGNING_ALGORITHMS.join(', ')}.`;

/**
 * The assertion's alg, checked before the client is looked up, so the answer is
 * the same for every client ID (RFC 8725 section 3.1: asymmetric algorithms only, never none).
 */
export function algorithmProblem(assertion: string): string | undefined {
  try {
    const alg = decodeProtectedHeader(assertion).alg;
    return typeof alg === 'string' && (ASSERTION_SIGNING_ALGORITHMS as readonly string[]).includes(alg) ? undefined : ALG_NOT_ACCEPTED;
  } catch {
    return 'The client assertion is not a well-formed signed JWT.';
  }
}

function describeClaimFailure(error: errors.JWTClaimValidationFailed): string {
  if (error.reason === 'missing') return `The client assertion must have a ${error.claim} claim.`;
  switch (error.claim) {
    case 'aud':
      return "The client assertion's aud must be the issuer or the token endpoint URL.";
    case 'nbf':
      return 'The client assertion is not valid yet (nbf).';
    case 'iss':
    case 'sub':
      return 'The client assertion must have iss and sub both equal to the client ID.';
    default:
      return `The client assertion's ${error.claim} claim is invalid.`;
  }
}
