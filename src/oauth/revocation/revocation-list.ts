import { Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { Clock } from '../../common/clock.js';
import { type RevokedToken, RevokedTokensRepository } from './revoked-tokens.repository.js';

/** How often a replica looks for revocations made elsewhere: well inside the promised one second. */
export const REVOCATION_POLL_INTERVAL_MS = 400;
/**
 * Each poll rereads this far behind the newest revocation seen, so a row
 * committed late, or written by a replica whose clock lags, is still caught.
 */
export const REVOCATION_POLL_OVERLAP_MS = 10_000;
/**
 * The bearer guard accepts a token up to 60 s past its exp (clock skew, RFC 9068
 * section 4); a revoked token must stay refused beyond that, so rows and entries
 * are kept this long after the token expires.
 */
export const KEPT_AFTER_EXPIRY_MS = 120_000;
/** How often expired rows are deleted from revoked_tokens. Any replica may do it: the delete is idempotent. */
export const PURGE_INTERVAL_MS = 60_000;

/**
 * The revoked access tokens (RFC 7009) that have not expired yet, in memory,
 * so that the bearer guard and introspection never touch the database for it.
 * The replica that revokes knows at once; the others load every unexpired row
 * at start and then poll for rows revoked since the newest one they saw, so a
 * revocation holds on every replica within a second. A token leaves the list
 * (and its row the table) once it has expired: its exp refuses it from then on.
 */
@Injectable()
export class RevocationList implements OnModuleInit, OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('RevocationList');
  /** jti -> the token's expiry, epoch milliseconds. */
  private readonly revoked = new Map<string, number>();
  private newestRevokedAtMs = 0;
  private lastPurgeMs = 0;
  private timer: NodeJS.Timeout | undefined;
  private inFlight: Promise<void> | undefined;
  private failing = false;

  constructor(
    private readonly repository: RevokedTokensRepository,
    private readonly clock: Clock,
  ) {}

  async onModuleInit(): Promise<void> {
    await this.load();
  }

  /**
   * Polling starts once the whole application is up: if start-up fails after this
   * module's init (a wrong SECRETS_KEY, say), Nest never destroys the module, and a
   * timer started earlier would poll a closed database forever.
   */
  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.refresh(), REVOCATION_POLL_INTERVAL_MS);
    // Polling must never be what keeps a process alive.
    this.timer.unref();
  }

  async onModuleDestroy(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.inFlight;
  }

  isRevoked(jti: string): boolean {
    return this.revoked.has(jti);
  }

  /** Records the revocation in the database, then here at once; idempotent. */
  async revoke(token: RevokedToken): Promise<void> {
    await this.repository.insertIfAbsent(token);
    this.remember(token);
  }

  /** Every unexpired revocation, at start. */
  async load(): Promise<void> {
    const now = this.clock.now().getTime();
    this.newestRevokedAtMs = now;
    for (const row of await this.repository.listExpiringAfter(new Date(now - KEPT_AFTER_EXPIRY_MS))) this.remember(row);
  }

  /** One poll: picks up revocations made elsewhere, forgets expired ones, purges old rows now and then. Never rejects. */
  refresh(): Promise<void> {
    this.inFlight ??= this.poll().finally(() => (this.inFlight = undefined));
    return this.inFlight;
  }

  private async poll(): Promise<void> {
    const now = this.clock.now().getTime();
    try {
      // A row stamped in the future by a replica whose clock runs ahead must not push the window past rows to come.
      const since = Math.min(this.newestRevokedAtMs, now) - REVOCATION_POLL_OVERLAP_MS;
      const rows = await this.repository.listRevokedAfter(new Date(since), new Date(now - KEPT_AFTER_EXPIRY_MS));
      for (const row of rows) this.remember(row);
      this.forgetExpired(now);
      if (now - this.lastPurgeMs >= PURGE_INTERVAL_MS) {
        await this.repository.deleteExpiredBefore(new Date(now - KEPT_AFTER_EXPIRY_MS));
        this.lastPurgeMs = now;
      }
      if (this.failing) this.logger.log('Revocations are being read from the database again.');
      this.failing = false;
    } catch (error) {
      // Keep what is known and try again at the next tick; say so once per outage, not on every tick.
      if (!this.failing) this.logger.warn(`Cannot read revocations: ${error instanceof Error ? error.message : String(error)}`);
      this.failing = true;
    }
  }

  private remember(token: Pick<RevokedToken, 'jti' | 'expiresAt' | 'revokedAt'>): void {
    const expiresAtMs = token.expiresAt.getTime();
    if (expiresAtMs + KEPT_AFTER_EXPIRY_MS > this.clock.now().getTime()) this.revoked.set(token.jti, expiresAtMs);
    this.newestRevokedAtMs = Math.max(this.newestRevokedAtMs, token.revokedAt.getTime());
  }

  private forgetExpired(now: number): void {
    for (const [jti, expiresAtMs] of this.revoked) {
      if (expiresAtMs + KEPT_AFTER_EXPIRY_MS <= now) this.revoked.delete(jti);
    }
  }
}
