import { randomBytes } from 'node:crypto';

/**
 * Prefixes make leaked credentials recognisable to secret scanners
 * (GitHub secret scanning, gitleaks, trufflehog) and to people.
 */
export const CLIENT_SECRET_PREFIX = 'orgsync_cs_';
export const CLIENT_ID_PREFIX = 'orgsync_ci_';

/** 256 bits from the CSPRNG, base64url: a secret no dictionary or brute force can reach. */
export function generateClientSecret(): string {
  return `${CLIENT_SECRET_PREFIX}${randomBytes(32).toString('base64url')}`;
}

export function generateClientId(): string {
  return `${CLIENT_ID_PREFIX}${randomBytes(16).toString('base64url')}`;
}

/** Generated IDs and BOOTSTRAP_ADMIN_CLIENT_ID alike are 1 to 128 visible ASCII characters. */
const CLIENT_ID_SHAPE = /^[\x21-\x7e]{1,128}$/;

export function isWellFormedClientId(value: string): boolean {
  return CLIENT_ID_SHAPE.test(value);
}

/** The last characters, shown to operators to tell secrets apart; too few to help an attacker. */
export function secretHint(secret: string): string {
  return secret.slice(-4);
}
