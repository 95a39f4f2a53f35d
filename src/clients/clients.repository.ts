import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { IsNull, LessThanOrEqual, MoreThan, type Repository } from 'typeorm';
import { ClientSecretEntity } from './client-secret.entity.js';
import { ClientEntity } from './client.entity.js';
import { isWellFormedClientId } from './client-credentials.js';

@Injectable()
export class ClientsRepository {
  constructor(
    @InjectRepository(ClientEntity) private readonly clients: Repository<ClientEntity>,
    @InjectRepository(ClientSecretEntity) private readonly secrets: Repository<ClientSecretEntity>,
  ) {}

  findLive(clientId: string): Promise<ClientEntity | null> {
    // No such client can exist, and PostgreSQL rejects some strings (a NUL byte) with an error, not a miss.
    if (!isWellFormedClientId(clientId)) return Promise.resolve(null);
    return this.clients.findOneBy({ clientId, deletedAt: IsNull() });
  }

  listLiveByOrganization(organizationId: string, limit: number, afterClientId?: string): Promise<ClientEntity[]> {
    return this.clients.find({
      where: { organizationId, deletedAt: IsNull(), ...(afterClientId ? { clientId: MoreThan(afterClientId) } : {}) },
      order: { clientId: 'ASC' },
      take: limit,
    });
  }

  /** Secrets that have neither expired by `now` nor been revoked, newest first. */
  async listLiveSecrets(clientId: string, now: Date): Promise<ClientSecretEntity[]> {
    const secrets = await this.secrets.find({ where: { clientId, revokedAt: IsNull() }, order: { createdAt: 'DESC' } });
    return secrets.filter((secret) => secret.expiresAt === null || secret.expiresAt > now);
  }

  /** Saves a new client together with its first secret, atomically. */
  async createWithSecret(client: ClientEntity, secret: ClientSecretEntity): Promise<void> {
    await this.clients.manager.transaction(async (manager) => {
      await manager.save(client);
      await manager.save(secret);
    });
  }

  save(client: ClientEntity): Promise<ClientEntity> {
    return this.clients.save(client);
  }

  /** Adds a secret and sets every other unexpired secret to expire at `expireOthersAt`. */
  async addSecretExpiringOthers(secret: ClientSecretEntity, expireOthersAt: Date): Promise<void> {
    await this.clients.manager.transaction(async (manager) => {
      const others = await manager.find(ClientSecretEntity, { where: { clientId: secret.clientId } });
      for (const other of others) {
        if (other.expiresAt === null || other.expiresAt > expireOthersAt) {
          other.expiresAt = expireOthersAt;
          await manager.save(other);
        }
      }
      await manager.save(secret);
    });
  }

  /** Removes secrets that expired before `before`: they can never match again. */
  async deleteSecretsExpiredBefore(clientId: string, before: Date): Promise<void> {
    await this.secrets.delete({ clientId, expiresAt: LessThanOrEqual(before) });
  }
}
