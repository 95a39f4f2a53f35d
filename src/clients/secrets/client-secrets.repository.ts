import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { IsNull, LessThanOrEqual, type Repository } from 'typeorm';
import { ClientSecretEntity } from '../client-secret.entity.js';

/** Secret IDs are UUIDv7; anything else cannot name a secret (and PostgreSQL rejects some strings outright). */
const SECRET_ID_SHAPE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Three parameters per secret; well under SQLite's and PostgreSQL's limits on bound parameters. */
const USES_PER_UPDATE = 500;

@Injectable()
export class ClientSecretsRepository {
  constructor(@InjectRepository(ClientSecretEntity) private readonly orm: Repository<ClientSecretEntity>) {}

  /** Every stored secret of the client (live, expired or revoked), newest first. */
  listByClient(clientId: string): Promise<ClientSecretEntity[]> {
    return this.orm.find({ where: { clientId }, order: { createdAt: 'DESC', id: 'DESC' } });
  }

  findOfClient(clientId: string, secretId: string): Promise<ClientSecretEntity | null> {
    if (!SECRET_ID_SHAPE.test(secretId)) return Promise.resolve(null);
    return this.orm.findOneBy({ id: secretId, clientId });
  }

  /**
   * Adds a secret and, when `expireOthersAt` is given, sets every other
   * unrevoked secret that would outlive it to expire then: a grace period
   * shortens earlier ones, it never extends them. Returns the secrets it cut short.
   */
  add(secret: ClientSecretEntity, expireOthersAt: Date | null): Promise<ClientSecretEntity[]> {
    return this.orm.manager.transaction(async (manager) => {
      const shortened: ClientSecretEntity[] = [];
      if (expireOthersAt) {
        const others = await manager.find(ClientSecretEntity, { where: { clientId: secret.clientId, revokedAt: IsNull() } });
        for (const other of others.filter((o) => o.expiresAt === null || o.expiresAt > expireOthersAt)) {
          await manager.update(ClientSecretEntity, { id: other.id }, { expiresAt: expireOthersAt });
          shortened.push(Object.assign(other, { expiresAt: expireOthersAt }));
        }
      }
      await manager.insert(ClientSecretEntity, secret);
      return shortened;
    });
  }

  async setExpiry(secret: ClientSecretEntity, expiresAt: Date): Promise<void> {
    await this.orm.update({ id: secret.id }, { expiresAt });
    secret.expiresAt = expiresAt;
  }

  async revoke(secret: ClientSecretEntity, revokedAt: Date): Promise<void> {
    await this.orm.update({ id: secret.id, revokedAt: IsNull() }, { revokedAt });
    secret.revokedAt = revokedAt;
  }

  /** Forgets secrets that ended (expired or were revoked) at or before `before`: they can never match again. */
  async deleteEndedBefore(clientId: string, before: Date): Promise<void> {
    await this.orm.delete({ clientId, expiresAt: LessThanOrEqual(before) });
    await this.orm.delete({ clientId, revokedAt: LessThanOrEqual(before) });
  }

  /**
   * Writes each secret's latest use in one UPDATE per batch, leaving alone any
   * secret whose stored last_used_at is already at or after `unlessUsedSince`
   * (another replica, or an earlier flush, recorded it recently enough).
   */
  async recordLastUses(uses: ReadonlyMap<string, Date>, unlessUsedSince: Date): Promise<void> {
    const entries = [...uses];
    for (let start = 0; start < entries.length; start += USES_PER_UPDATE) {
      await this.updateLastUses(entries.slice(start, start + USES_PER_UPDATE), unlessUsedSince);
    }
  }

  private async updateLastUses(entries: readonly [string, Date][], unlessUsedSince: Date): Promise<void> {
    // PostgreSQL types a bare parameter in CASE as text; SQLite stores instants as text already.
    const instant =
      this.orm.manager.connection.options.type === 'postgres'
        ? (name: string) => `CAST(:${name} AS timestamptz)`
        : (name: string) => `:${name}`;
    const parameters: Record<string, unknown> = { ids: entries.map(([id]) => id), unlessUsedSince };
    const cases = entries.map(([id, usedAt], i) => {
      parameters[`id${i}`] = id;
      parameters[`used${i}`] = usedAt;
      return `WHEN :id${i} THEN ${instant(`used${i}`)}`;
    });
    await this.orm
      .createQueryBuilder()
      .update(ClientSecretEntity)
      .set({ lastUsedAt: () => `CASE id ${cases.join(' ')} END` })
      .where('id IN (:...ids)')
      .andWhere('(last_used_at IS NULL OR last_used_at < :unlessUsedSince)')
      .setParameters(parameters)
      .execute();
  }
}
