import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository, SelectQueryBuilder } from 'typeorm';
import { validate as isUuid } from 'uuid';
import { SyncConnectionEntity } from '../connections/sync-connection.entity.js';
import { SyncRunEntity } from './sync-run.entity.js';

/**
 * The read side of run history (the worker writes runs through
 * SyncRunsRepository). Lists are newest first by id (UUIDv7), a page at a time
 * before the last id shown, so runs queued meanwhile never shift a walk. Runs
 * of deleted connections are history nobody can reach any more: never listed.
 */
@Injectable()
export class SyncRunsQueryRepository {
  constructor(@InjectRepository(SyncRunEntity) private readonly orm: Repository<SyncRunEntity>) {}

  findById(id: string): Promise<SyncRunEntity | null> {
    if (!isUuid(id)) return Promise.resolve(null);
    return this.orm.findOneBy({ id });
  }

  listByConnection(connectionId: string, limit: number, beforeId?: string): Promise<SyncRunEntity[]> {
    const query = this.ofLiveConnections().where('r.connection_id = :connectionId', { connectionId });
    return this.page(query, limit, beforeId).getMany();
  }

  /** Every query names the organization: there is no way to reach another organization's runs from here. */
  listByOrganization(organizationId: string, connectionId: string | undefined, limit: number, beforeId?: string): Promise<SyncRunEntity[]> {
    const query = this.ofLiveConnections().where('r.organization_id = :organizationId', { organizationId });
    if (connectionId !== undefined) query.andWhere('r.connection_id = :connectionId', { connectionId });
    return this.page(query, limit, beforeId).getMany();
  }

  private ofLiveConnections(): SelectQueryBuilder<SyncRunEntity> {
    return this.orm.createQueryBuilder('r').innerJoin(SyncConnectionEntity, 'c', 'c.id = r.connection_id AND c.deleted_at IS NULL');
  }

  private page(query: SelectQueryBuilder<SyncRunEntity>, limit: number, beforeId?: string): SelectQueryBuilder<SyncRunEntity> {
    if (beforeId !== undefined) query.andWhere('r.id < :beforeId', { beforeId });
    return query.orderBy('r.id', 'DESC').limit(limit);
  }
}
