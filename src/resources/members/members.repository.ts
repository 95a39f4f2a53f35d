import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager, type SelectQueryBuilder, In, IsNull } from 'typeorm';
import { validate as isUuid } from 'uuid';
import { MemberEntity } from './member.entity.js';
import { BatchedRowReads } from '../shared/batched-row-reads.js';
import { type RowQuery, rowQuery } from '../shared/row-query.js';

const LIVE = 'deleted_at IS NULL';

export interface MemberListFilters {
  readonly updatedSince?: Date;
  readonly email?: string;
  readonly active?: boolean;
  /** Tombstones are listed when asked for, and always in incremental (updated_since) reads. */
  readonly includeDeleted?: boolean;
}

/** Every query names the organization: there is no way to reach another organization's members from here. */
@Injectable()
export class MembersRepository {
  private liveById: RowQuery<MemberEntity> | undefined;
  private liveBatched: BatchedRowReads<MemberEntity> | undefined;

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * The read of every GET /members/:id: one parameterized statement on the
   * primary key, written once, its row hydrated by TypeORM's own column
   * conversions. findOneBy built the same statement through a QueryBuilder on
   * every call, which cost more than running it. Reads outside a transaction
   * share one statement per event-loop turn (batched-row-reads.ts).
   */
  findLive(organizationId: string, id: string, manager: EntityManager = this.dataSource.manager): Promise<MemberEntity | null> {
    // IDs are UUIDs: anything else names no member, and never reaches the database.
    if (!isUuid(id)) return Promise.resolve(null);
    const byId = (this.liveById ??= rowQuery(this.dataSource, MemberEntity, `organization_id = :organizationId AND id = :id AND ${LIVE}`));
    const batched = (this.liveBatched ??= new BatchedRowReads(this.dataSource, MemberEntity, LIVE));
    return batched.serves(manager) ? batched.first(organizationId, id) : byId.first(manager, { organizationId, id });
  }

  findLiveByEmail(organizationId: string, emailNormalized: string, manager: EntityManager): Promise<MemberEntity | null> {
    return manager.getRepository(MemberEntity).findOneBy({ organizationId, emailNormalized, deletedAt: IsNull() });
  }

  /** Live members among `ids`, in one query. */
  findLiveByIds(organizationId: string, ids: readonly string[], manager: EntityManager = this.dataSource.manager): Promise<MemberEntity[]> {
    const valid = ids.filter((id) => isUuid(id));
    if (valid.length === 0) return Promise.resolve([]);
    return manager
      .getRepository(MemberEntity)
      .createQueryBuilder('m')
      .where('m.organization_id = :organizationId', { organizationId })
      .andWhere({ id: In(valid) })
      .andWhere('m.deleted_at IS NULL')
      .getMany();
  }

  /** A page in id order (UUIDv7 never changes), so a walk sees each record once even while others change. */
  list(organizationId: string, filters: MemberListFilters, limit: number, afterId?: string): Promise<MemberEntity[]> {
    return this.listQuery(organizationId, filters, limit, afterId).getMany();
  }

  /** The list query itself, also for checking its plan: it must walk the (organization_id, id) index, never sort. */
  listQuery(organizationId: string, filters: MemberListFilters, limit: number, afterId?: string): SelectQueryBuilder<MemberEntity> {
    const query = this.dataSource
      .getRepository(MemberEntity)
      .createQueryBuilder('m')
      .where('m.organization_id = :organizationId', { organizationId });
    if (filters.updatedSince) query.andWhere('m.updated_at >= :updatedSince', { updatedSince: filters.updatedSince });
    else if (!filters.includeDeleted) query.andWhere('m.deleted_at IS NULL');
    if (filters.email !== undefined) query.andWhere('m.email_normalized = :email', { email: filters.email.toLowerCase() });
    if (filters.active !== undefined) query.andWhere('m.active = :active', { active: filters.active });
    if (afterId !== undefined) query.andWhere('m.id > :afterId', { afterId });
    return query.orderBy('m.id', 'ASC').limit(limit);
  }

  insert(member: MemberEntity, manager: EntityManager): Promise<unknown> {
    return manager.insert(MemberEntity, member);
  }

  /**
   * Optimistic concurrency: the row is written only if it still has the version
   * that was read. Returns false when another write got there first.
   */
  async updateIfVersion(member: MemberEntity, expectedVersion: number, manager: EntityManager): Promise<boolean> {
    const { id, organizationId, ...changes } = member;
    const result = await manager.update(MemberEntity, { id, organizationId, version: expectedVersion }, changes);
    return (result.affected ?? 0) === 1;
  }
}
