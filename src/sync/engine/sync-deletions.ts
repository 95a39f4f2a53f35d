import { Injectable } from '@nestjs/common';
import type { EntityManager, ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import { GroupMembershipEntity } from '../../resources/groups/group-membership.entity.js';
import { GroupEntity } from '../../resources/groups/group.entity.js';
import { MemberEntity } from '../../resources/members/member.entity.js';

export interface DeletionPlan {
  readonly members: { readonly live: number; readonly unseen: number };
  readonly groups: { readonly live: number; readonly unseen: number };
}

/**
 * After a complete, successful full listing, the connection's live records
 * that the listing did not see are gone upstream. They become tombstones
 * (never hard deletes), and deleted members leave their groups, which get a
 * new version. Only ever called once every page of the listing has committed.
 */
@Injectable()
export class SyncDeletions {
  async plan(manager: EntityManager, connectionId: string, runId: string): Promise<DeletionPlan> {
    const count = async (entity: new () => ObjectLiteral) => ({
      live: await this.live(manager, entity, connectionId).getCount(),
      unseen: await this.unseen(manager, entity, connectionId, runId).getCount(),
    });
    return { members: await count(MemberEntity), groups: await count(GroupEntity) };
  }

  async apply(manager: EntityManager, connectionId: string, runId: string, now: Date): Promise<void> {
    const unseenMembers = this.unseen(manager, MemberEntity, connectionId, runId).select('r.id');
    const unseenGroups = this.unseen(manager, GroupEntity, connectionId, runId).select('r.id');
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
      .orWhere(`group_id IN (${unseenGroups.getQuery()})`)
      .setParameters({ ...unseenMembers.getParameters(), ...unseenGroups.getParameters() })
      .execute();
    for (const entity of [MemberEntity, GroupEntity] as Array<new () => ObjectLiteral>) {
      await manager
        .createQueryBuilder()
        .update(entity)
        .set({ deletedAt: now, updatedAt: now, version: () => 'version + 1' })
        .where('source = :connectionId AND deleted_at IS NULL', { connectionId })
        .andWhere('(sync_seen_run IS NULL OR sync_seen_run <> :runId)', { runId })
        .execute();
    }
  }

  private live<T extends ObjectLiteral>(manager: EntityManager, entity: new () => T, connectionId: string): SelectQueryBuilder<T> {
    return manager
      .getRepository(entity)
      .createQueryBuilder('r')
      .where('r.source = :connectionId', { connectionId })
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
export function exceedsDeleteLimit(stream: { live: number; unseen: number }, maxDeletePercent: number): boolean {
  return stream.unseen > 0 && stream.unseen * 100 > stream.live * maxDeletePercent;
}
