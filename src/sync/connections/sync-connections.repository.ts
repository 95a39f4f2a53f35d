import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { IsNull, MoreThan, type QueryDeepPartialEntity, type Repository } from 'typeorm';
import { validate as isUuid } from 'uuid';
import { SyncConnectionEntity } from './sync-connection.entity.js';

/** What an operator sets; everything else on the row is sync state, which the worker owns. */
export type SyncConnectionSettings = Partial<
  Pick<
    SyncConnectionEntity,
    | 'name'
    | 'kind'
    | 'baseUrl'
    | 'tokenUrl'
    | 'clientId'
    | 'clientSecret'
    | 'tokenEndpointAuthMethod'
    | 'scope'
    | 'resource'
    | 'intervalSeconds'
    | 'fullSyncEvery'
    | 'maxDeletePercent'
    | 'enabled'
  >
>;

/**
 * Sync connections for the admin API. Writes name the columns they change and
 * nothing else, so an operator's edit never overwrites the sync state (lease,
 * watermark, failures) a worker may be writing at the same moment.
 */
@Injectable()
export class SyncConnectionsRepository {
  constructor(@InjectRepository(SyncConnectionEntity) private readonly orm: Repository<SyncConnectionEntity>) {}

  findLive(id: string): Promise<SyncConnectionEntity | null> {
    // IDs are UUIDs: anything else names no connection, and PostgreSQL rejects some strings (a NUL byte) with an error.
    if (!isUuid(id)) return Promise.resolve(null);
    return this.orm.findOneBy({ id, deletedAt: IsNull() });
  }

  findLiveInOrganization(organizationId: string, id: string): Promise<SyncConnectionEntity | null> {
    if (!isUuid(id)) return Promise.resolve(null);
    return this.orm.findOneBy({ id, organizationId, deletedAt: IsNull() });
  }

  /** Live connections in id order (UUIDv7: creation order), after the given id. */
  listLiveByOrganization(organizationId: string, limit: number, afterId?: string): Promise<SyncConnectionEntity[]> {
    return this.orm.find({
      where: { organizationId, deletedAt: IsNull(), ...(afterId ? { id: MoreThan(afterId) } : {}) },
      order: { id: 'ASC' },
      take: limit,
    });
  }

  async insert(connection: SyncConnectionEntity): Promise<void> {
    await this.orm.insert(connection);
  }

  /** Changes settings only; the sync state carries on. False when the connection is gone. */
  changeSettings(id: string, settings: SyncConnectionSettings, now: Date): Promise<boolean> {
    return this.updateLive(id, { ...settings, updatedAt: now });
  }

  /**
   * Changes settings that point the connection at another upstream: what was
   * copied from the old one says nothing about the new one, so the watermark
   * is dropped and the next run is a full listing. An operator's confirmation
   * to delete past the circuit breaker was given for the old upstream's
   * records, so it lapses too. A run in flight is reading the old upstream:
   * bumping the fencing token makes its next lease renewal fail, so it stops
   * and can never write the old upstream's watermark over the reset.
   */
  changeUpstream(id: string, settings: SyncConnectionSettings, now: Date): Promise<boolean> {
    return this.updateLive(id, {
      ...settings,
      watermark: null,
      runsSinceFull: 0,
      deletionsConfirmed: false,
      leaseToken: () => 'lease_token + 1',
      updatedAt: now,
    });
  }

  /** Lets the next full run delete past the circuit breaker, once (the worker clears the flag when it has). */
  confirmDeletions(id: string, now: Date): Promise<boolean> {
    return this.updateLive(id, { deletionsConfirmed: true, updatedAt: now });
  }

  /** A soft delete: the row stays, with its runs, but no longer runs or shows. */
  softDelete(id: string, now: Date): Promise<boolean> {
    return this.updateLive(id, { deletedAt: now, updatedAt: now });
  }

  private async updateLive(id: string, columns: QueryDeepPartialEntity<SyncConnectionEntity>): Promise<boolean> {
    if (!isUuid(id)) return false;
    const result = await this.orm.update({ id, deletedAt: IsNull() }, columns);
    return (result.affected ?? 0) === 1;
  }
}
