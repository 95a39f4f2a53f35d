import { Injectable } from '@nestjs/common';
import { AuditLog } from '../../audit/audit-log.js';
import { Clock } from '../../common/clock.js';
import { DomainError } from '../../common/errors/domain-error.js';
import { ClientDirectory } from '../client-directory.js';
import type { ClientEntity } from '../client.entity.js';
import type { ClientSecretEntity } from '../client-secret.entity.js';
import { ClientSecretHasher } from '../client-secret-hasher.js';
import { generateClientSecret } from '../client-credentials.js';
import { ClientsService } from '../clients.service.js';
import { ClientSecretsRepository } from './client-secrets.repository.js';
import { secretStatus } from './dto/client-secret.response.js';
import { newClientSecretEntity } from './new-client-secret.js';

/** Ended secrets stay listed this long, so operators can see what stopped working and when. */
export const ENDED_SECRET_RETENTION_SECONDS = 30 * 86_400;

export interface AddSecret {
  /** The new secret's own lifetime; left out, it does not expire. */
  readonly expiresInSeconds?: number;
  /** Given, every other live secret expires after it (never later than it already would). */
  readonly gracePeriodSeconds?: number;
}

/** A secret that was just issued: the only moment it exists in clear. */
export interface AddedSecret {
  readonly secret: ClientSecretEntity;
  readonly clientSecret: string;
  readonly previousSecretsExpireAt: Date | null;
}

/**
 * A client's secrets: several may be live at once, so a partner rolls a new
 * one out before the old one ends (rotation without downtime). Every change
 * takes effect on this replica at once (the directory entry is dropped) and on
 * the others within CLIENT_STATE_TTL_MS.
 */
@Injectable()
export class ClientSecretsService {
  constructor(
    private readonly clients: ClientsService,
    private readonly secrets: ClientSecretsRepository,
    private readonly directory: ClientDirectory,
    private readonly hasher: ClientSecretHasher,
    private readonly audit: AuditLog,
    private readonly clock: Clock,
  ) {}

  async list(clientId: string): Promise<ClientSecretEntity[]> {
    await this.clients.get(clientId);
    return this.secrets.listByClient(clientId);
  }

  async add(clientId: string, input: AddSecret): Promise<AddedSecret> {
    const client = await this.clients.get(clientId);
    const now = this.clock.now();
    const clientSecret = generateClientSecret();
    const expiresAt = input.expiresInSeconds === undefined ? null : after(now, input.expiresInSeconds);
    const secret = newClientSecretEntity(this.hasher, clientId, clientSecret, now, expiresAt);
    const previousSecretsExpireAt = input.gracePeriodSeconds === undefined ? null : after(now, input.gracePeriodSeconds);
    const shortened = await this.secrets.add(secret, previousSecretsExpireAt);
    await this.secrets.deleteEndedBefore(clientId, after(now, -ENDED_SECRET_RETENTION_SECONDS));
    this.directory.invalidate(clientId);
    this.record('client_secret.created', client, secret);
    for (const other of shortened) this.record('client_secret.expiry_set', client, other);
    return { secret, clientSecret, previousSecretsExpireAt };
  }

  /** Sets a live secret to end after the grace period (0: now). An ended secret is never brought back. */
  async expire(clientId: string, secretId: string, gracePeriodSeconds: number, force: boolean): Promise<ClientSecretEntity> {
    const { client, secret, now } = await this.find(clientId, secretId);
    if (secretStatus(secret, now) !== 'active') {
      throw DomainError.conflict(`Secret ${secretId} has already ${secretStatus(secret, now)}; an ended secret cannot be brought back.`);
    }
    await this.refuseLockout(client, secret, now, force);
    await this.secrets.setExpiry(secret, after(now, gracePeriodSeconds));
    this.directory.invalidate(clientId);
    this.record('client_secret.expiry_set', client, secret);
    return secret;
  }

  /** Ends a secret at once; revoking a revoked secret changes nothing. */
  async revoke(clientId: string, secretId: string, force: boolean): Promise<void> {
    const { client, secret, now } = await this.find(clientId, secretId);
    if (secret.revokedAt) return;
    if (secretStatus(secret, now) === 'active') await this.refuseLockout(client, secret, now, force);
    await this.secrets.revoke(secret, now);
    this.directory.invalidate(clientId);
    this.record('client_secret.revoked', client, secret);
  }

  private async find(clientId: string, secretId: string): Promise<{ client: ClientEntity; secret: ClientSecretEntity; now: Date }> {
    const client = await this.clients.get(clientId);
    const secret = await this.secrets.findOfClient(clientId, secretId);
    if (!secret) throw DomainError.notFound(`Secret ${secretId} of client ${clientId}`);
    return { client, secret, now: this.clock.now() };
  }

  /**
   * A client that authenticates with a secret and has no other live one would
   * be locked out; that takes an explicit force. A private_key_jwt client does
   * not use its secrets.
   */
  private async refuseLockout(client: ClientEntity, ending: ClientSecretEntity, now: Date, force: boolean): Promise<void> {
    if (force || client.tokenEndpointAuthMethod === 'private_key_jwt') return;
    const others = (await this.secrets.listByClient(client.clientId)).filter(
      (s) => s.id !== ending.id && secretStatus(s, now) === 'active',
    );
    if (others.length === 0) {
      throw DomainError.conflict(
        `Secret ${ending.id} is the last live secret of client ${client.clientId}: ending it would lock the client out. ` +
          'Add a new secret first, or repeat the request with force=true.',
      );
    }
  }

  private record(action: string, client: ClientEntity, secret: ClientSecretEntity): void {
    this.audit.record({
      action,
      organizationId: client.organizationId,
      targetType: 'client_secret',
      targetId: secret.id,
      details: { client_id: client.clientId, hint: secret.hint, expires_at: secret.expiresAt?.toISOString() ?? null },
    });
  }
}

function after(now: Date, seconds: number): Date {
  return new Date(now.getTime() + seconds * 1000);
}
