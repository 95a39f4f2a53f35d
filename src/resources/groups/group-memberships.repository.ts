import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager, type SelectQueryBuilder } from 'typeorm';
import { MemberEntity } from '../members/member.entity.js';
import { GroupMembershipEntity } from './group-membership.entity.js';

/**
 * Who is in which group. Reads join the members table and keep live members
 * only, so a membership row can never surface a deleted member.
 */
@Injectable()
export class GroupMembershipsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** The live member IDs of each of `groupIds`, in id order, from one query (no query per group). */
  async memberIdsByGroup(
    organizationId: string,
    groupIds: readonly string[],
    manager: EntityManager = this.dataSource.manager,
  ): Promise<Map<string, string[]>> {
    const byGroup = new Map(groupIds.map((id) => [id, [] as string[]]));
    if (groupIds.length === 0) return byGroup;
    const rows = await manager
      .getRepository(GroupMembershipEntity)
      .createQueryBuilder('gm')
      .innerJoin(MemberEntity, 'm', 'm.id = gm.member_id AND m.organization_id = gm.organization_id AND m.deleted_at IS NULL')
      .select('gm.group_id', 'group_id')
      .addSelect('gm.member_id', 'member_id')
      .where('gm.organization_id = :organizationId', { organizationId })
      .andWhere('gm.group_id IN (:...groupIds)', { groupIds })
      .orderBy('gm.member_id', 'ASC')
      .getRawMany<{ group_id: string; member_id: string }>();
    for (const row of rows) byGroup.get(row.group_id)?.push(row.member_id);
    return byGroup;
  }

  /** A page of the group's live members, keyset on member id. */
  liveMembersOf(organizationId: string, groupId: string, limit: number, afterId?: string): Promise<MemberEntity[]> {
    return this.liveMembersQuery(organizationId, groupId, limit, afterId).getMany();
  }

  /**
   * The page query itself, also for checking its plan. The keyset and the
   * order are on gm.member_id (equal to m.id), so the (group_id, member_id)
   * primary key walks the group's members in order and stops at the limit,
   * with no sort of the whole group, however large.
   */
  liveMembersQuery(organizationId: string, groupId: string, limit: number, afterId?: string): SelectQueryBuilder<MemberEntity> {
    const query = this.dataSource
      .getRepository(MemberEntity)
      .createQueryBuilder('m')
      .innerJoin(GroupMembershipEntity, 'gm', 'gm.member_id = m.id AND gm.organization_id = m.organization_id')
      .where('m.organization_id = :organizationId', { organizationId })
      .andWhere('gm.group_id = :groupId', { groupId })
      .andWhere('m.deleted_at IS NULL');
    if (afterId !== undefined) query.andWhere('gm.member_id > :afterId', { afterId });
    return query.orderBy('gm.member_id', 'ASC').limit(limit);
  }

  /**
   * Which of `ids` are live members of the organization. On PostgreSQL the rows
   * are held FOR SHARE until the transaction ends, so a member deleted
   * concurrently cannot leave a membership row behind: its deletion waits for
   * this transaction and then removes the rows it wrote, or this transaction
   * waits for the deletion and no longer sees the member. SQLite has no row
   * locks; it allows one writer at a time.
   */
  async lockLiveMemberIds(organizationId: string, ids: readonly string[], manager: EntityManager): Promise<Set<string>> {
    if (ids.length === 0) return new Set();
    const query = manager
      .getRepository(MemberEntity)
      .createQueryBuilder('m')
      .select('m.id', 'id')
      .where('m.organization_id = :organizationId', { organizationId })
      .andWhere('m.id IN (:...ids)', { ids })
      .andWhere('m.deleted_at IS NULL')
      // One lock order for every writer, so two of them cannot deadlock on members.
      .orderBy('m.id', 'ASC');
    if (manager.connection.options.type === 'postgres') query.setLock('pessimistic_read');
    const rows = await query.getRawMany<{ id: string }>();
    return new Set(rows.map((row) => row.id));
  }

  async add(organizationId: string, groupId: string, memberIds: readonly string[], manager: EntityManager): Promise<void> {
    if (memberIds.length === 0) return;
    const rows = memberIds.map((memberId) => Object.assign(new GroupMembershipEntity(), { groupId, memberId, organizationId }));
    await manager.insert(GroupMembershipEntity, rows);
  }

  async removeAllOfGroup(organizationId: string, groupId: string, manager: EntityManager): Promise<void> {
    await manager.delete(GroupMembershipEntity, { organizationId, groupId });
  }

  async removeAllOfMember(organizationId: string, memberId: string, manager: EntityManager): Promise<void> {
    await manager.delete(GroupMembershipEntity, { organizationId, memberId });
  }
}
