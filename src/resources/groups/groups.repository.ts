import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager, type SelectQueryBuilder, IsNull } from 'typeorm';
import { validate as isUuid } from 'uuid';
import { GroupEntity } from './group.entity.js';
import { GroupMembershipEntity } from './group-membership.entity.js';
import { BatchedRowReads } from '../shared/batched-row-reads.js';

const LIVE = 'deleted_at IS NULL';

export interface GroupListFilters {
  readonly updatedSince?: Date;
  readonly externalId?: string;
  readonly displayName?: string;
  /** Tombstones are listed when asked for, and always in incremental (updated_since) reads. */
  readonly includeDeleted?: boolean;
}

/** Every query names the organization: there is no way to reach another organization's groups from here. */
@Injectable()
export class GroupsRepository {
  private liveBatched: BatchedRowReads<GroupEntity> | undefined;

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** The read of every GET /groups/:id: outside a transaction, one statement per event-loop turn (batched-row-reads.ts). */
  findLive(organizationId: string, id: string, manager: EntityManager = this.dataSource.manager): Promise<GroupEntity | null> {
    // IDs are UUIDs: anything else names no group, and never reaches the database.
    if (!isUuid(id)) return Promise.resolve(null);
    this.liveBatched ??= new BatchedRowReads(this.dataSource, GroupEntity, LIVE);
    if (this.liveBatched.serves(manager)) return this.liveBatched.first(organizationId, id);
    return manager.getRepository(GroupEntity).findOneBy({ organizationId, id, deletedAt: IsNull() });
  }

  /** A page in id order (UUIDv7 never changes), so a walk sees each record once even while others change. */
  list(organizationId: string, filters: GroupListFilters, limit: number, afterId?: string): Promise<GroupEntity[]> {
    return this.listQuery(organizationId, filters, limit, afterId).getMany();
  }

  /** The list query itself, also for checking its plan: it must walk the (organization_id, id) index, never sort. */
  listQuery(organizationId: string, filters: GroupListFilters, limit: number, afterId?: string): SelectQueryBuilder<GroupEntity> {
    const query = this.dataSource
      .getRepository(GroupEntity)
      .createQueryBuilder('g')
      .where('g.organization_id = :organizationId', { organizationId });
    if (filters.updatedSince) query.andWhere('g.updated_at >= :updatedSince', { updatedSince: filters.updatedSince });
    else if (!filters.includeDeleted) query.andWhere('g.deleted_at IS NULL');
    if (filters.externalId !== undefined) query.andWhere('g.external_id = :externalId', { externalId: filters.externalId });
    if (filters.displayName !== undefined) query.andWhere('g.display_name = :displayName', { displayName: filters.displayName });
    if (afterId !== undefined) query.andWhere('g.id > :afterId', { afterId });
    return query.orderBy('g.id', 'ASC').limit(limit);
  }

  insert(group: GroupEntity, manager: EntityManager): Promise<unknown> {
    return manager.insert(GroupEntity, group);
  }

  /**
   * Optimistic concurrency: the row is written only if it still has the version
   * that was read. Returns false when another write got there first.
   */
  async updateIfVersion(group: GroupEntity, expectedVersion: number, manager: EntityManager): Promise<boolean> {
    const { id, organizationId, ...changes } = group;
    const result = await manager.update(GroupEntity, { id, organizationId, version: expectedVersion }, changes);
    return (result.affected ?? 0) === 1;
  }

  /** Bumps version and updated_at of every live group the member belongs to, in one statement. */
  async touchGroupsOf(organizationId: string, memberId: string, at: Date, manager: EntityManager): Promise<void> {
    const groupsOfMember = manager
      .createQueryBuilder(GroupMembershipEntity, 'gm')
      .select('gm.group_id')
      .where('gm.organization_id = :organizationId')
      .andWhere('gm.member_id = :memberId')
      .getQuery();
    await manager
      .createQueryBuilder()
      .update(GroupEntity)
      .set({ version: () => 'version + 1', updatedAt: at })
      .where('organization_id = :organizationId', { organizationId })
      .andWhere('deleted_at IS NULL')
      .andWhere(`id IN (${groupsOfMember})`, { memberId })
      .execute();
  }
}
