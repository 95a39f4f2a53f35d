import { createHash } from 'node:crypto';
import { Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { RateLimiterRes } from 'rate-limiter-flexible';
import { DataSource } from 'typeorm';
import { AuditLog } from '../../audit/audit-log.js';
import { AppConfig, type RateLimitConfig } from '../../config/app-config.js';
import type { OAuthRequestContext } from '../client-auth/oauth-form.js';
import { OAuthError } from '../errors/oauth-error.js';
import { type CountingLimiter, createRateLimiters, type RateLimiters } from './rate-limiters.js';

/** Longest key part kept as is; longer (or unprintable) ones are hashed, so a key fits the store's 255 characters. */
const MAX_PLAIN_KEY_PART = 110;
/** The audit log's client_id column. */
const MAX_AUDITED_CLIENT_ID = 128;
/** How often expired counters are deleted from a shared table (PostgreSQL). */
const SWEEP_INTERVAL_MS = 5 * 60_000;

/**
 * Brute-force and abuse limits of the token, introspection and revocation
 * endpoints (RFC 6749 section 10.10 and RFC 9700 section 4.x ask the server to
 * resist guessing of credentials). Three fixed windows of RATE_LIMIT_WINDOW_SECONDS,
 * each off when its limit is 0:
 *
 * (a) per source address: every request to those endpoints counts, checked in a
 *     Fastify onRequest hook before the body is read (registerOAuthAddressLimit);
 * (b) per (claimed client ID, source address): failed authentications; the one
 *     that reaches RATE_LIMIT_FAILURES_PER_CLIENT locks that pair out for a whole
 *     window, audited once as client.locked_out. Keyed by both, so an attacker
 *     flooding bad secrets for a client ID locks out only their own address, never
 *     the real client calling from its own;
 * (c) per client: authenticated requests only, so that only a client that proved
 *     its credentials spends its own budget and outsiders cannot exhaust it.
 *
 * Refusals are 429 with Retry-After (RFC 6585 section 4) and an RFC 6749-shaped
 * body, error "too_many_requests". Counters live in memory, PostgreSQL or Redis
 * (see createRateLimiters; on PostgreSQL (a) and (c) are counted locally and sent
 * in batches, so replicas may together overshoot them by a bounded amount, while
 * (b) is counted in the table at once); a store failure degrades to per-process
 * limits and never fails the request.
 */
@Injectable()
export class OAuthRateLimits implements OnModuleInit, OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('RateLimits');
  private readonly settings: RateLimitConfig;
  private readonly limiters: RateLimiters;
  private sweeper: NodeJS.Timeout | undefined;

  constructor(
    config: AppConfig,
    @InjectDataSource() dataSource: DataSource,
    private readonly audit: AuditLog,
  ) {
    this.settings = config.security.rateLimit;
    this.limiters = createRateLimiters(this.settings, dataSource, config.database.kind);
  }

  onModuleInit(): Promise<void> {
    return this.limiters.ready();
  }

  /** Started once the application is up: a start-up that fails later never leaves a timer behind. */
  onApplicationBootstrap(): void {
    this.sweeper = setInterval(() => void this.sweepExpired(), SWEEP_INTERVAL_MS).unref();
  }

  /** Deletes long-expired counters from a shared table; never rejects (a missed sweep is retried at the next). */
  sweepExpired(): Promise<void> {
    return this.limiters.sweep().catch(() => undefined);
  }

  /** Sends the request counts still held in this process to the shared store (PostgreSQL); they go within FLUSH_INTERVAL_MS anyway. */
  flushCounts(): Promise<void> {
    return this.limiters.flush();
  }

  /** After the HTTP server closed and before TypeORM closes the pool (modules nearer the root shut down first). */
  onApplicationShutdown(): Promise<void> {
    clearInterval(this.sweeper);
    return this.limiters.close();
  }

  /** (a) Counts a request from this address to an OAuth endpoint; refuses (429) past the limit. */
  async admitAddress(sourceAddress: string): Promise<void> {
    if (this.settings.perAddress === 0) return;
    await this.consume(this.limiters.perAddress, keyPart(sourceAddress));
  }

  /** (b) Refuses (429) a client ID that failed too often from this address. */
  async beforeAuthentication(clientId: string | undefined, context: OAuthRequestContext): Promise<void> {
    if (this.settings.failuresPerClient === 0 || clientId === undefined) return;
    const failures = await this.guarded(this.limiters.readFailures(pairKey(clientId, context.sourceAddress)));
    if (failures && failures.consumedPoints >= this.settings.failuresPerClient) throw OAuthError.tooManyRequests(retryAfter(failures));
  }

  /** (b) Counts a failed authentication of the client ID from this address. */
  async authenticationFailed(clientId: string | undefined, context: OAuthRequestContext): Promise<void> {
    if (this.settings.failuresPerClient === 0 || clientId === undefined) return;
    const key = pairKey(clientId, context.sourceAddress);
    const failures = await this.guarded(this.limiters.failures.penalty(key));
    // Counting is atomic, so exactly one failure sees the count reach the limit: it starts the lockout.
    if (failures?.consumedPoints !== this.settings.failuresPerClient) return;
    // A full window from the lockout, not what is left of the window of the first failure.
    await this.guarded(this.limiters.failures.block(key, this.settings.windowSeconds));
    this.audit.record({
      action: 'client.locked_out',
      outcome: 'failure',
      clientId: clientId.length <= MAX_AUDITED_CLIENT_ID ? clientId : null,
      sourceAddress: context.sourceAddress,
      requestId: context.requestId,
      details: { client_id: keyPart(clientId), source_address: context.sourceAddress, lockout_seconds: this.settings.windowSeconds },
    });
  }

  /** (c) Counts an authenticated request against the client's budget; refuses (429) past it. */
  async authenticated(clientId: string): Promise<void> {
    if (this.settings.perClient === 0) return;
    await this.consume(this.limiters.perClient, keyPart(clientId));
  }

  private async consume(limiter: CountingLimiter, key: string): Promise<void> {
    try {
      await limiter.consume(key);
    } catch (rejection) {
      // The library rejects with an Error when the store fails and with a RateLimiterRes when the limit is reached.
      if (rejection instanceof Error) this.storeFailed(rejection);
      else throw OAuthError.tooManyRequests(retryAfter(rejection as RateLimiterRes));
    }
  }

  /** Shared stores have an in-memory insurance limiter; this is the last resort: admit, and say so. */
  private async guarded<T>(operation: Promise<T>): Promise<T | undefined> {
    try {
      return await operation;
    } catch (error) {
      this.storeFailed(error);
      return undefined;
    }
  }

  private storeFailed(error: unknown): void {
    this.logger.warn(`rate-limit store failed, request admitted: ${error instanceof Error ? error.message : String(error)}`);
  }
}

function retryAfter(result: RateLimiterRes): number {
  return Math.max(1, Math.ceil(result.msBeforeNext / 1000));
}

function pairKey(clientId: string, sourceAddress: string): string {
  // Parts never hold a space (printable ASCII without it, or a hash), so the pair is unambiguous.
  return `${keyPart(clientId)} ${keyPart(sourceAddress)}`;
}

/** A claimed client ID is whatever the caller sent: keep it short and printable for the store and the logs. */
function keyPart(value: string): string {
  if (value.length <= MAX_PLAIN_KEY_PART && /^[\x21-\x7e]+$/.test(value)) return value;
  return `sha256:${createHash('sha256').update(value).digest('base64url')}`;
}
