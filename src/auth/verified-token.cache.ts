import { LRUCache } from 'lru-cache';
import type { Clock } from '../common/clock.js';
import { CLOCK_TOLERANCE_SECONDS, type VerifiedClaims } from './verified-claims.js';

/** Bounded: a flood of distinct valid tokens costs at most this many entries (a few MB). */
export const MAX_CACHED_TOKENS = 10_000;

/**
 * The claims of access tokens whose signature, issuer, audience and lifetime
 * were verified, keyed on the whole token string, so that a token presented
 * again skips the signature check (the costliest step of a bearer call).
 *
 * Only what cannot change for a given token is kept: its signed claims. What
 * can change (revocation, RFC 7009; the client being disabled, deleted or
 * losing scopes) is still checked by the verifier on every call. Only a token
 * that passed the full check is stored, so a forged or altered token (a
 * different string) always meets jwt.verify. An entry is never used at or
 * after the token's exp, nor before its nbf less the clock tolerance jwt.verify
 * allows, by the application's Clock (RFC 9068 section 4, RFC 7519 sections
 * 4.1.4 and 4.1.5).
 */
export class VerifiedTokenCache {
  private readonly entries: LRUCache<string, VerifiedClaims>;

  constructor(
    private readonly clock: Clock,
    maxEntries: number = MAX_CACHED_TOKENS,
  ) {
    this.entries = new LRUCache({ max: maxEntries });
  }

  /** The verified claims of `token`, if it was verified before and is within its lifetime now. */
  get(token: string): VerifiedClaims | undefined {
    const claims = this.entries.get(token);
    if (claims === undefined) return undefined;
    const nowSeconds = this.clock.now().getTime() / 1000;
    if (nowSeconds >= claims.exp || (claims.nbf !== undefined && nowSeconds < claims.nbf - CLOCK_TOLERANCE_SECONDS)) {
      // Past exp the full check decides (its clock tolerance included), and nothing is cached again.
      this.entries.delete(token);
      return undefined;
    }
    return claims;
  }

  /** Called only with claims jwt.verify has just accepted for exactly this token. */
  remember(token: string, claims: VerifiedClaims): void {
    if (this.clock.now().getTime() / 1000 < claims.exp) this.entries.set(token, claims);
  }

  get size(): number {
    return this.entries.size;
  }
}
