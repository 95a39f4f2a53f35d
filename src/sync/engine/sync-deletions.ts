import { Injectable } from '@nestjs/common';
import type { EntityManager, ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import { GroupMembershipEntity } from '../../resources/groups/group-membership.entity.js';
import { GroupEntity } from '../../resources/groups/group.entity.js';
import { MemberEntity } from '../../resources/members/member.entity.js';

export interface StreamDeletions {
  readonly live: number;
  readonly unseen: number;
}

export interface DeletionPlan {
  readonly members: StreamDeletions;
  readonly groups: StreamDeletions;
}

/**
 * After a complete, successful full listing, the connection's live records
 * that the listing did not see are gone upstream. They become tombstones
 * (never hard deletes), and deleted members leave their groups, which get a
 * new version. Only ever called once every page of the listing has committed.
 * Every query repeats `source <> 'api'`, the predicate of the partial indexes
 * on (source, external_id), so that SQLite uses them.
 */
@Injectable()
export class SyncDeletions {
  /** Live and unseen records of each stream, each counted in one pass over the connection's rows. */
  async plan(manager: EntityManager, connectionId: string, runId: string): Promise<DeletionPlan> {
    return {
      members: await this.count(manager, MemberEntity, connectionId, runId),
      groups: await this.count(manager, GroupEntity, connectionId, runId),
    };
  }

  /** Applies the plan; a stream with nothing unseen (the usual case) costs nothing more. */
  async apply(manager: EntityManager, connectionId: string, runId: string, now: Date, plan: DeletionPlan): Promise<void> {
    if (plan.members.unseen > 0) await this.membersLeaveGroups(manager, connectionId, runId, now);
    if (plan.groups.unseen > 0) await this.groupsLoseMembers(manager, connectionId, runId);
    if (plan.members.unseen > 0) await this.tombstone(manager, MemberEntity, connectionId, runId, now);
    if (plan.groups.unseen > 0) await this.tombstone(manager, GroupEntity, connectionId, runId, now);
  }

  private async count(
    manager: EntityManager,
    entity: new () => ObjectLiteral,
    connectionId: string,
    runId: string,
  ): Promise<StreamDeletions> {
    const row = await this.live(manager, entity, connectionId)
      .select('COUNT(*)', 'live')
      .addSelect('COALESCE(SUM(CASE WHEN r.sync_seen_run IS NULL OR r.sync_seen_run <> :runId THEN 1 ELSE 0 END), 0)', 'unseen')
      .setParameter('runId', runId)
      .getRawOne<{ live: number | string; unseen: number | string }>();
    return { live: Number(row?.live ?? 0), unseen: Number(row?.unseen ?? 0) };
  }

  /** Groups that lose a deleted member get a new version, then the member's rows go. */
  private async membersLeaveGroups(manager: EntityManager, connectionId: string, runId: string, now: Date): Promise<void> {
    const unseenMembers = this.unseen(manager, MemberEntity, connectionId, runId).select('r.id');
    const groupsLosingMembers = manager
      .getRepository(GroupMembershipEntity)
      .createQueryBuilder('gm')
      .select('gm.group_id')
      .where(`gm.member_id IN (${unseenMembers.getQuery()})`);
    await manager
      .createQueryBuilder()
      .update(GroupEntity)
      .set({ updatedAt: now, version: () => 'version + 1' })
      .where('deleted_at IS NULL')
      .andWhere(`id IN (${groupsLosingMembers.getQuery()})`)
      .setParameters(unseenMembers.getParameters())
      .execute();
    await manager
      .createQueryBuilder()
      .delete()
      .from(GroupMembershipEntity)
      .where(`member_id IN (${unseenMembers.getQuery()})`)
      .setParameters(unseenMembers.getParameters())
      .execute();
  }

  private async groupsLoseMembers(manager: EntityManager, connectionId: string, runId: string): Promise<void> {
    const unseenGroups = this.unseen(manager, GroupEntity, connectionId, runId).select('r.id');
    await manager
      .createQueryBuilder()
      .delete()
      .from(GroupMembershipEntity)
      .where(`group_id IN (${unseenGroups.getQuery()})`)
      .setParameters(unseenGroups.getParameters())
      .execute();
  }

  private async tombstone(
    manager: EntityManager,
    entity: new () => ObjectLiteral,
    connectionId: string,
    runId: string,
    now: Date,
  ): Promise<void> {
    await manager
      .createQueryBuilder()
      .update(entity)
      .set({ deletedAt: now, updatedAt: now, version: () => 'version + 1' })
      .where("source = :connectionId AND source <> 'api' AND deleted_at IS NULL", { connectionId })
      .andWhere('(sync_seen_run IS NULL OR sync_seen_run <> :runId)', { runId })
      .execute();
  }

  private live<T extends ObjectLiteral>(manager: EntityManager, entity: new () => T, connectionId: string): SelectQueryBuilder<T> {
    return manager
      .getRepository(entity)
      .createQueryBuilder('r')
      .where("r.source = :connectionId AND r.source <> 'api'", { connectionId })
      .andWhere('r.deleted_at IS NULL');
  }

  private unseen<T extends ObjectLiteral>(
    manager: EntityManager,
    entity: new () => T,
    connectionId: string,
    runId: string,
  ): SelectQueryBuilder<T> {
    return this.live(manager, entity, connectionId).andWhere('(r.sync_seen_run IS NULL OR r.sync_seen_run <> :runId)', { runId });
  }
}

/** The circuit breaker: the share of live records a run may delete without an operator's confirmation. */
export function exceedsDeleteLimit(stream: StreamDeletions, maxDeletePercent: number): boolean {
  return stream.unseen > 0 && stream.unseen * 100 > stream.live * maxDeletePercent;
}
