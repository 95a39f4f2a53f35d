import { randomBytes } from 'node:crypto';

export interface IssuedToken {
  readonly clientId: string;
  readonly scope: string;
  readonly expiresAt: number;
}

/**
 * Opaque bearer tokens (256 random bits) and what they were issued for. A
 * token is valid until it expires or every token is revoked at once.
 */
export class TokenStore {
  private readonly tokens = new Map<string, IssuedToken>();

  constructor(private readonly now: () => number = Date.now) {}

  issue(clientId: string, scope: string, ttlSeconds: number): string {
    const token = randomBytes(32).toString('base64url');
    this.tokens.set(token, { clientId, scope, expiresAt: this.now() + ttlSeconds * 1000 });
    return token;
  }

  /** The token's grant, or undefined when it is unknown, expired or revoked. */
  validate(token: string): IssuedToken | undefined {
    const issued = this.tokens.get(token);
    if (!issued) return undefined;
    if (issued.expiresAt > this.now()) return issued;
    this.tokens.delete(token);
    return undefined;
  }

  revokeAll(): void {
    this.tokens.clear();
  }

  get size(): number {
    return this.tokens.size;
  }
}
