import { createPrivateKey, createPublicKey, type JsonWebKey, type KeyObject } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import { AuditLog, type AuditEventInput } from '../../audit/audit-log.js';
import { AppConfig } from '../../config/app-config.js';
import { MAX_ACCESS_TOKEN_TTL, type SigningAlgorithm } from '../../config/environment.js';
import { TtlCache } from '../../common/cache/ttl-cache.js';
import { Clock } from '../../common/clock.js';
import { SecretsKeyring } from '../../common/crypto/secrets-keyring.js';
import { DomainError } from '../../common/errors/domain-error.js';
import { generateSigningKeyPair } from './key-material.js';
import { SigningKeyEntity } from './signing-key.entity.js';
import { SigningKeysRepository } from './signing-keys.repository.js';

export interface SigningKey {
  readonly kid: string;
  readonly alg: SigningAlgorithm;
  readonly privateKey: KeyObject;
}

export interface VerificationKey {
  readonly kid: string;
  readonly alg: SigningAlgorithm;
  readonly publicKey: KeyObject;
}

export interface PublicJwk extends JsonWebKey {
  kid: string;
  alg: SigningAlgorithm;
  use: 'sig';
}

interface KeySet {
  readonly signing: SigningKey;
  readonly verification: ReadonlyMap<string, VerificationKey>;
  readonly jwks: { keys: PublicJwk[] };
  readonly loadedAt: number;
}

/**
 * A retired key stays published (and accepted) for the longest lifetime any
 * token can have, plus the verifiers' clock leeway, so every token it signed
 * expires before it disappears from the JWKS.
 */
export const RETIRED_KEY_PUBLISH_SECONDS = MAX_ACCESS_TOKEN_TTL + 60;
/** How stale this process's view of the keys may be (another replica or the CLI may rotate). */
const KEY_SET_TTL_MS = 1_000;
/** On an unknown kid, reload at most this often: a rotation elsewhere is picked up without letting random kids hammer the database. */
const UNKNOWN_KID_RELOAD_MS = 200;

@Injectable()
export class SigningKeysService {
  private readonly logger = new Logger('SigningKeys');
  private readonly cache: TtlCache<'keys', KeySet>;
  private readonly privateKeys = new Map<string, KeyObject>();

  constructor(
    private readonly keys: SigningKeysRepository,
    private readonly keyring: SecretsKeyring,
    private readonly config: AppConfig,
    private readonly clock: Clock,
    private readonly audit: AuditLog,
  ) {
    this.cache = new TtlCache(clock, KEY_SET_TTL_MS, 1);
  }

  /** The first start generates a key; a change of SIGNING_ALG rotates to a key of the new algorithm. */
  async ensureSigningKey(): Promise<void> {
    const active = await this.keys.findActive();
    if (!active) {
      await this.tryReplace(null, 'no signing key existed');
    } else if (active.alg !== this.config.oauth.signingAlg) {
      await this.tryReplace(active, `SIGNING_ALG changed from ${active.alg} to ${this.config.oauth.signingAlg}`);
    }
  }

  /**
   * `orgsync keys rotate` (reason `command`) and POST /admin/signing-keys/rotate
   * (`api`): makes a new key the signing key; the old one stays published until its tokens have expired.
   */
  async rotate(reason: Extract<KeyReplacementReason, 'command' | 'api'> = 'command'): Promise<SigningKeyEntity> {
    const key = await this.replace(await this.keys.findActive(), reason);
    if (!key)
      throw DomainError.conflict(
        reason === 'command'
          ? 'Another process rotated the signing key at the same moment; run the command again if another key is still wanted.'
          : 'Another process rotated the signing key at the same moment; rotate again if another key is still wanted.',
      );
    return key;
  }

  /**
   * The scheduled rotation: replaces the active key if it was created at least
   * `maxAgeSeconds` before `now`. Every replica checks; when several find the
   * key due at once, exactly one replaces it and the others get null.
   */
  async rotateIfOlderThan(maxAgeSeconds: number, now: Date): Promise<SigningKeyEntity | null> {
    const active = await this.keys.findActive();
    if (!active || now.getTime() - active.createdAt.getTime() < maxAgeSeconds * 1000) return null;
    return this.replace(active, 'schedule');
  }

  listAll(): Promise<SigningKeyEntity[]> {
    return this.keys.findAll();
  }

  async signingKey(): Promise<SigningKey> {
    return (await this.keySet()).signing;
  }

  async verificationKey(kid: string): Promise<VerificationKey | undefined> {
    const keySet = await this.keySet();
    const key = keySet.verification.get(kid);
    if (key || this.clock.now().getTime() - keySet.loadedAt < UNKNOWN_KID_RELOAD_MS) return key;
    this.cache.clear();
    return (await this.keySet()).verification.get(kid);
  }

  async jwks(): Promise<{ keys: PublicJwk[] }> {
    return (await this.keySet()).jwks;
  }

  private keySet(): Promise<KeySet> {
    return this.cache.get('keys', () => this.load());
  }

  private async load(): Promise<KeySet> {
    const published = await this.keys.findPublished(this.publishedSince());
    const active = published.find((key) => key.status === 'active');
    if (!active) throw new Error('No active signing key: start the server once to create one, or run `orgsync keys rotate`.');
    const verification = new Map<string, VerificationKey>();
    const jwks: PublicJwk[] = [];
    for (const key of published) {
      const jwk = JSON.parse(key.publicJwk) as JsonWebKey;
      verification.set(key.kid, { kid: key.kid, alg: key.alg, publicKey: createPublicKey({ key: jwk, format: 'jwk' }) });
      jwks.push({ ...jwk, kid: key.kid, alg: key.alg, use: 'sig' });
    }
    return {
      signing: { kid: active.kid, alg: active.alg, privateKey: this.privateKeyOf(active) },
      verification,
      jwks: { keys: jwks },
      loadedAt: this.clock.now().getTime(),
    };
  }

  /** Decrypts each private key once per process. */
  private privateKeyOf(key: SigningKeyEntity): KeyObject {
    let privateKey = this.privateKeys.get(key.kid);
    if (!privateKey) {
      privateKey = createPrivateKey(this.keyring.decrypt(key.privateKey));
      this.privateKeys.set(key.kid, privateKey);
    }
    return privateKey;
  }

  private publishedSince(): Date {
    return new Date(this.clock.now().getTime() - RETIRED_KEY_PUBLISH_SECONDS * 1000);
  }

  /**
   * Makes a new key the signing key in place of `previous` (none: the first
   * key). Null when `previous` was no longer the active key: another process
   * rotated first, and its key stands.
   */
  private async replace(previous: SigningKeyEntity | null, reason: KeyReplacementReason): Promise<SigningKeyEntity | null> {
    const pair = generateSigningKeyPair(this.config.oauth.signingAlg);
    const now = this.clock.now();
    const entity = Object.assign(new SigningKeyEntity(), {
      kid: pair.kid,
      alg: pair.alg,
      publicJwk: JSON.stringify(pair.publicJwk),
      privateKey: this.keyring.encrypt(pair.privateKeyPem),
      status: 'active' as const,
      createdAt: now,
      retiredAt: null,
    });
    if (!(await this.keys.activate(entity, previous?.kid ?? null, now))) return null;
    this.cache.clear();
    await this.keys.deleteRetiredBefore(this.publishedSince());
    this.audit.record(
      previous
        ? signingKeyAudit('signing_key.rotated', entity, { previous_kid: previous.kid, reason })
        : signingKeyAudit('signing_key.created', entity, { reason }),
    );
    return entity;
  }

  /**
   * Replicas starting together take turns here (SigningKeysInitializer holds the
   * StartupLock), but a `keys rotate` or a scheduled rotation elsewhere may
   * still race this one; the loser finds the winner's key instead.
   */
  private async tryReplace(previous: SigningKeyEntity | null, why: string): Promise<void> {
    try {
      const key = await this.replace(previous, previous ? 'alg_change' : 'first_start');
      if (key) this.logger.log(`Generated ${key.alg} signing key ${key.kid} (${why}).`);
    } catch (error) {
      const active = await this.keys.findActive();
      if (!active || active.alg !== this.config.oauth.signingAlg) throw error;
    }
  }
}

/** Why a new key was made: `orgsync keys rotate`, the admin API, the rotation schedule, a new SIGNING_ALG, or the very first start. */
export type KeyReplacementReason = 'command' | 'api' | 'schedule' | 'alg_change' | 'first_start';

function signingKeyAudit(action: string, key: SigningKeyEntity, details: Record<string, unknown>): AuditEventInput {
  return { action, targetType: 'signing_key', targetId: key.kid, details: { kid: key.kid, alg: key.alg, ...details } };
}
